// Saves a large tree in a loop until killed: the parent kills it at random moments
// to prove a crash during save never leaves a torn store.
import { resolveHome } from '../../src/home.js';
import { ConfigStore } from '../../src/store/store.js';
import { addChild } from '../../src/tree/edit.js';
import { nodeAt } from '../../src/tree/tree.js';

const store = await ConfigStore.open(resolveHome(process.argv[2]));
let { root, meta } = await store.read();
const users = nodeAt(root, ['Radius', 'UserLists', 'Default'])!;
for (let i = 0; i < 1500; i++) addChild(users, `crash-${process.pid}-${i}`, ['bulk user', `pw-${i}`], store.box);
process.send?.('ready');
for (;;) meta = await store.save(root, meta.revision, 'crash-test');
