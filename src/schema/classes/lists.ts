// Ordered lists of references (`1. rs-primary`), each typed by the collection it names.
import type { ClassDef } from '../model.js';
import { refType } from '../types.js';

const listOf = (name: string, target: string, help: string, filter?: { prop: string; values: string[] }): ClassDef => ({
  name, help, props: [], list: { item: refType(target, filter) },
});

export const listClasses: ClassDef[] = [
  listOf('ServiceList', 'Services', 'Ordered list of services.'),
  listOf('RemoteServerList', 'RemoteServers', 'Remote RADIUS servers, tried in order.', { prop: 'Protocol', values: ['radius'] }),
  listOf('GroupServerList', 'GroupServers', 'Diameter group servers, in priority order.'),
  listOf('ResourceManagerList', 'ResourceManagers', 'Resource managers, allocated in order and released in reverse.'),
  listOf('TranslationList', 'Translations', 'Translations, applied in order.'),
];
