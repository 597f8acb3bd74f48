// Every class of the tree. Adding a module here is all it takes to extend the schema.
import type { ClassDef } from '../model.js';
import { rootClasses } from './root.js';
import { userClasses } from './users.js';
import { clientClasses } from './clients.js';
import { serviceClasses } from './services.js';
import { listClasses } from './lists.js';
import { advancedClasses } from './advanced.js';

export const ALL_CLASSES: ClassDef[] = [
  ...rootClasses,
  ...userClasses,
  ...clientClasses,
  ...serviceClasses,
  ...listClasses,
  ...advancedClasses,
];
