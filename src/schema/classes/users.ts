// Users, their lists and groups, and the profiles merged into replies.
import type { ClassDef } from '../model.js';
import { boolType, encryptedSecretType, hexType, stringType } from '../types.js';
import { attributeList, collectionOf, prop, ref } from './common.js';

const replyAndChecks = [
  { name: 'Attributes', cls: 'Attributes' },
  { name: 'CheckItems', cls: 'CheckItems' },
];

export const userClasses: ClassDef[] = [
  collectionOf('UserLists', 'UserList', 'Lists of users served by local services.'),
  { name: 'UserList', help: 'A list of users; a local service names one.', props: [], collection: { cls: 'User' } },
  {
    name: 'User',
    help: 'A user of a local service.',
    positional: ['Description', 'Password', 'AllowNullPassword', 'Group', 'BaseProfile'],
    props: [
      prop('Password', encryptedSecretType, 'Password; kept encrypted, because PAP, CHAP, digest and EAP-MD5 need it in clear.'),
      prop('AllowNullPassword', boolType, 'Accept an empty password.', { default: false }),
      prop('Enabled', boolType, 'FALSE rejects every request of the user.', { default: true }),
      ref('Group', 'UserGroups', 'Group whose profile and check items apply to the user.'),
      ref('BaseProfile', 'Profiles', 'Profile merged into the reply on authorization.'),
      ref('AuthenticationScript', 'Scripts', 'Script run at the user authentication scripting point.'),
      ref('AuthorizationScript', 'Scripts', 'Script run at the user authorization scripting point.'),
      prop('UserDefined1', stringType(), 'Free field copied to the environment variable UserDefined1.'),
      prop('DigestHA1', hexType(16), 'MD5(user:realm:password) for SIP digest, instead of a clear password.'),
    ],
    fixed: replyAndChecks,
  },
  collectionOf('UserGroups', 'UserGroup', 'Settings shared by many users.'),
  {
    name: 'UserGroup',
    help: 'Settings shared by the users that name this group.',
    props: [
      ref('BaseProfile', 'Profiles', 'Profile merged before the user\'s own profile.'),
      ref('AuthenticationScript', 'Scripts', 'Script run at the group authentication scripting point.'),
      ref('AuthorizationScript', 'Scripts', 'Script run at the group authorization scripting point.'),
    ],
    fixed: replyAndChecks,
  },
  collectionOf('Profiles', 'Profile', 'Named sets of reply attributes.'),
  { name: 'Profile', help: 'A named set of reply attributes.', props: [], fixed: [{ name: 'Attributes', cls: 'Attributes' }] },
  attributeList('Attributes', 'Reply attributes: `set <Attribute> <value>...` (several values make a multi-valued attribute).', 'any'),
  attributeList('CheckItems', 'Attributes a request must carry with equal values, else it is rejected.', 'any'),
];
