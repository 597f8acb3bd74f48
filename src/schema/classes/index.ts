// Every class of the tree. Adding a module here is all it takes to extend the schema.
import type { ClassDef } from '../model.js';
import { rootClasses } from './root.js';
import { userClasses } from './users.js';
import { clientClasses } from './clients.js';
import { serviceClasses } from './services.js';
import { listClasses } from './lists.js';
import { advancedClasses } from './advanced.js';
import { scriptClasses } from './scripts.js';
import { sessionClasses } from './sessions.js';
import { policyClasses } from './policy.js';
import { translationClasses } from './translations.js';
import { remoteClasses } from './remote.js';
import { replicationClasses } from './replication.js';
import { advancedExtraClasses } from './advanced-extra.js';

export const ALL_CLASSES: ClassDef[] = [
  ...rootClasses,
  ...userClasses,
  ...clientClasses,
  ...serviceClasses,
  ...listClasses,
  ...advancedClasses,
  ...scriptClasses,
  ...sessionClasses,
  ...policyClasses,
  ...translationClasses,
  ...remoteClasses,
  ...replicationClasses,
  ...advancedExtraClasses,
];
