import { command } from '../src/shell/command.js';
import { ShellError } from '../src/shell/session.js';
import { findTarget } from '../src/shell/targets.js';
import type { Stored } from '../src/schema/types.js';
import { shownValue } from '../src/shell/listing.js';
import { EditError, setListSlot, setPair, setProp } from '../src/tree/edit.js';
import { classDef } from '../src/schema/registry.js';
import { checkAttribute } from '../src/config/attribute-names.js';
import { layerDictionary, treeDictionaryData } from '../src/config/radius-dictionary.js';
import { commonDictionary } from '../src/radius/index.js';
import { nodeAt } from '../src/tree/tree.js';
import type { TreeNode } from '../src/schema/model.js';

/** In attribute lists the name must be in the dictionary; it is stored in the dictionary's spelling. */
function attributeName(root: TreeNode, node: TreeNode, key: string, values: string[]): string {
  const pairs = classDef(node.$class).pairs!;
  if (pairs.kind !== 'attributes') return key;
  let name = key;
  const radius = layerDictionary(commonDictionary(), treeDictionaryData(nodeAt(root, ['Radius', 'Advanced'])!)).dictionary;
  for (const v of values) {
    const r = checkAttribute(pairs.dictionary ?? 'any', key, v, radius);
    if (r.error) throw new ShellError(r.error);
    name = r.name ?? key;
  }
  return name;
}

export default command({
  name: 'set',
  synopsis: 'set <property> <value>...',
  summary: 'Assign a property, an attribute (several values make it multi-valued) or a list slot.',
  details: 'Values are checked against the property type at once (enumerations, ranges, addresses, TRUE/FALSE); references to other objects are checked by validate. Changing a Service Type or a Client Protocol resets the type-specific properties.',
  writes: true,
  args: ['property', 'value'],
  run(sh, [name, ...values]) {
    if (name === undefined || values.length === 0) throw new ShellError('usage: set <property> <value>...');
    const t = findTarget(sh, name);
    try {
      if (t.kind === 'pair') {
        const key = attributeName(sh.root, t.node, t.key, values);
        setPair(t.node, key, values);
        sh.io.out(`Set ${key} ${values.join(' ')}`);
      } else if (t.kind === 'slot') {
        if (values.length !== 1) throw new ShellError('usage: set <n> <value>');
        setListSlot(t.node, t.position, values[0]);
        sh.io.out(`Set ${t.position} ${values[0]}`);
      } else {
        if (values.length !== 1) throw new ShellError(`${t.prop.name} takes one value; quote values that contain spaces`);
        const reset = setProp(t.node, t.prop, values[0], sh.store.box);
        sh.io.out(`Set ${t.prop.name} ${shownValue(t.prop, t.node[t.prop.name] as Stored | undefined)}`);
        if (reset) sh.io.err(`WARNING: type changed, ${reset} properties reset`);
      }
    } catch (e) {
      if (e instanceof EditError) throw new ShellError(e.message);
      throw e;
    }
    sh.modified();
  },
});
