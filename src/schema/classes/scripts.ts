// Vendors (vendor scripting points) and script definitions.
import type { ClassDef } from '../model.js';
import { enumType, stringType } from '../types.js';
import { collectionOf, prop, scriptRefs } from './common.js';

export const scriptClasses: ClassDef[] = [
  collectionOf('Vendors', 'Vendor', 'NAS vendors whose scripting points apply to the clients that name them.'),
  {
    name: 'Vendor',
    help: 'A NAS vendor; its scripts run for every client whose Vendor names it.',
    props: scriptRefs('vendor'),
  },
  collectionOf('Scripts', 'Script', 'Script definitions named by scripting points, rules and services.'),
  {
    name: 'Script',
    help: 'A script: a module under scripts/ and the function called at a scripting point.',
    positional: ['Description', 'Language', 'Filename', 'EntryPoint'],
    discriminator: 'Language',
    props: [
      prop('Language', enumType(['REX', 'Tcl', 'Java', 'Internal']), 'Language of the script; areg runs REX only, a JavaScript module with the REX calling convention.', { default: 'REX' }),
      prop('Filename', stringType(), 'File of the script relative to scripts/, e.g. ParseRealm.js.', { required: true }),
      prop('EntryPoint', stringType(), 'Exported function called at the scripting point; empty = the script\'s Name.'),
      prop('InitEntryPoint', stringType(), 'Exported function called at engine start and stop.'),
      prop('InitEntryPointArgs', stringType(), 'Put into the environment variable `arguments` before InitEntryPoint runs.'),
    ],
    variants: {
      REX: {},
      Tcl: { storedOnly: true },
      Java: { storedOnly: true },
      Internal: { storedOnly: true },
    },
  },
];
