// The cluster root, administrators and /Radius itself.
import type { ClassDef } from '../model.js';
import { boolType, hashedSecretType, stringType } from '../types.js';
import { collectionOf, prop, ref, scriptRefs } from './common.js';
import { AREG_VERSION } from '../../version.js';

export const rootClasses: ClassDef[] = [
  {
    name: 'Cluster',
    help: 'The cluster root //localhost.',
    props: [],
    fixed: [
      { name: 'Radius', cls: 'Radius' },
      { name: 'Administrators', cls: 'Administrators' },
    ],
  },
  collectionOf('Administrators', 'Administrator', 'Accounts allowed to log in to aregcmd.'),
  {
    name: 'Administrator',
    help: 'An administrator of the configuration.',
    positional: ['Description', 'Password', 'ReadOnly'],
    props: [
      prop('Password', hashedSecretType, 'Login password; stored as a salted scrypt hash.', { required: true }),
      prop('ReadOnly', boolType, 'A read-only administrator can look but not change, save or control the server.', { default: false }),
    ],
  },
  {
    name: 'Radius',
    help: 'Root of the AAA configuration; the engine object of start/stop/reload.',
    props: [
      prop('Version', stringType(), 'Version of areg that wrote the tree.', { default: AREG_VERSION, readOnly: true }),
      ...scriptRefs('server'),
      ref('DefaultAuthenticationService', 'Services', 'Service used when the environment names no Authentication-Service.'),
      ref('DefaultAuthorizationService', 'Services', 'Service used when the environment names no Authorization-Service.'),
      ref('DefaultAccountingService', 'Services', 'Service used when the environment names no Accounting-Service.'),
      ref('DefaultSessionService', 'Services', 'Service used when the environment names no Session-Service.'),
      ref('DefaultSessionManager', 'SessionManagers', 'Session manager used when the environment names none.'),
    ],
    fixed: [
      { name: 'UserLists', cls: 'UserLists' },
      { name: 'UserGroups', cls: 'UserGroups' },
      { name: 'Policies', cls: 'Policies' },
      { name: 'Clients', cls: 'Clients' },
      { name: 'Vendors', cls: 'Vendors' },
      { name: 'Scripts', cls: 'Scripts' },
      { name: 'Services', cls: 'Services' },
      { name: 'SessionManagers', cls: 'SessionManagers' },
      { name: 'ResourceManagers', cls: 'ResourceManagers' },
      { name: 'Profiles', cls: 'Profiles' },
      { name: 'Rules', cls: 'Rules' },
      { name: 'Translations', cls: 'Translations' },
      { name: 'TranslationGroups', cls: 'TranslationGroups' },
      { name: 'RemoteServers', cls: 'RemoteServers' },
      { name: 'GroupServers', cls: 'GroupServers' },
      { name: 'FastRules', cls: 'FastRules' },
      { name: 'Advanced', cls: 'Advanced' },
      { name: 'Replication', cls: 'Replication' },
    ],
  },
];
