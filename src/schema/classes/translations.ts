// Attribute translations and the mapping tables of translation services.
import type { ClassDef } from '../model.js';
import { attributeList, collectionOf, prop } from './common.js';
import { mapOf, nameListType, nameType } from './maps.js';

export const translationClasses: ClassDef[] = [
  collectionOf('Translations', 'Translation', 'Attribute rewriting applied by translation groups.'),
  {
    name: 'Translation',
    help: 'Attributes removed from and inserted into a packet.',
    props: [prop('DeleteAttrs', nameListType(','), 'Comma-separated attributes removed from the packet.')],
    fixed: [{ name: 'Attributes', cls: 'TranslationAttributes' }],
  },
  attributeList('TranslationAttributes', 'Attributes inserted into the packet, replacing any with the same name.'),
  collectionOf('TranslationGroups', 'TranslationGroup', 'Ordered sets of translations chosen by environment variables.'),
  {
    name: 'TranslationGroup',
    help: 'Translations applied when env Incoming-Translation-Groups or Outgoing-Translation-Groups names the group.',
    props: [],
    fixed: [{ name: 'Translations', cls: 'TranslationList' }],
  },
  {
    name: 'RequestMapping',
    help: 'How a translation service builds the request it sends on.',
    props: [],
    fixed: [
      { name: 'CommandMappings', cls: 'CommandMappings' },
      { name: 'AVPMappings', cls: 'AVPMappings' },
      { name: 'AVPsToBeAdded', cls: 'AVPsToBeAdded' },
    ],
  },
  {
    name: 'ResponseMapping',
    help: 'How a translation service builds the answer it returns.',
    props: [],
    fixed: [{ name: 'ResultCodeMappings', cls: 'ResultCodeMappings' }],
  },
  mapOf('CommandMappings', 'Incoming request type = outgoing command, e.g. `Radius-CoA-Request = Re-Auth`, `AA = Radius-Access-Request`.', nameType, nameType),
  mapOf('AVPMappings', 'Incoming attribute = outgoing attribute whose value it supplies, e.g. `Calling-Station-Id = Session-Id`.', nameType, nameType),
  attributeList('AVPsToBeAdded', 'Attributes added to every translated request, e.g. `Re-Auth-Request-Type = AUTHORIZE_AUTHENTICATE`.', 'any'),
  mapOf('ResultCodeMappings', 'Upstream result = result returned, e.g. `Diameter-Success = Radius-PoD-ACK`.', nameType, nameType),
];
