// Building blocks shared by the class declarations.
import type { ClassDef, PropDef } from '../model.js';
import { refType, type PropType } from '../types.js';

export const ref = (name: string, target: string, help: string, extra: Partial<PropDef> = {}): PropDef => ({
  name, type: refType(target), help, ...extra,
});

export const prop = (name: string, type: PropType, help: string, extra: Partial<PropDef> = {}): PropDef => ({
  name, type, help, ...extra,
});

/** A container of user-added objects of one class, e.g. `/Radius/Clients`. */
export const collectionOf = (name: string, cls: string, help: string): ClassDef => ({
  name, help, props: [], collection: { cls },
});

export const attributeList = (name: string, help: string, dictionary: 'radius' | 'diameter' | 'any' = 'radius'): ClassDef => ({
  name, help, props: [], pairs: { kind: 'attributes', dictionary },
});

export const scriptRefs = (what: string): PropDef[] => [
  ref('IncomingScript', 'Scripts', `Script run on requests at the ${what} incoming scripting point.`),
  ref('OutgoingScript', 'Scripts', `Script run on responses at the ${what} outgoing scripting point.`),
];
