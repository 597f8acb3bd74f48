// The policy engine (policies grouping rules) and the stored-only FastRules.
import type { ClassDef } from '../model.js';
import { enumType, stringType } from '../types.js';
import { collectionOf, prop, ref } from './common.js';
import { mapOf, nameType } from './maps.js';

/** Rule scripts areg provides itself; they need no object under /Radius/Scripts. */
export const BUILTIN_RULE_SCRIPTS = ['ExecRealmRule', 'ExecDNISRule', 'ExecCLIDRule', 'ExecNASIPRule', 'ExecTimeRule'];

export const policyClasses: ClassDef[] = [
  collectionOf('Policies', 'Policy', 'Rule expressions; a policy named SelectPolicy runs right after the client check.'),
  {
    name: 'Policy',
    help: 'A rule expression whose matching rules set environment variables.',
    props: [
      prop('Grouping', stringType(), 'Rule expression such as `realm-rule&time-rule|dnis-rule`: & binds tighter than |, parentheses allowed, evaluated left to right until the result is known.'),
    ],
  },
  collectionOf('Rules', 'Rule', 'Rules evaluated by policies.'),
  {
    name: 'Rule',
    help: 'A test on the request; on a match it sets environment variables.',
    props: [
      prop('Protocol', enumType(['radius', 'diameter', 'tacacs']), 'Protocol of the requests the rule applies to.', { default: 'radius' }),
      ref('Script', 'Scripts', `Script that evaluates the rule: a Script object or one of the built-ins ${BUILTIN_RULE_SCRIPTS.join(', ')}.`),
    ],
    fixed: [{ name: 'Attributes', cls: 'RuleAttributes' }],
  },
  mapOf(
    'RuleAttributes',
    'Rule inputs (`Realm = @example.com`, `DNIS = 5551212`, `TimeRange = mon-fri,08:00-17:00`) and the environment variables set on a match (`Authentication-Service = proxy-ex`).',
    nameType,
    stringType(),
  ),
  {
    name: 'FastRules',
    help: 'FastRules of the original; stored only, areg does not run them.',
    props: [],
    fixed: [{ name: 'RuleDefinitions', cls: 'FastRuleDefinitions' }],
  },
  { name: 'FastRuleDefinitions', help: 'Fast rules; stored only.', props: [], collection: { cls: 'FastRule' } },
  {
    name: 'FastRule',
    help: 'A fast rule: a condition over named attribute tests and the flows run on success or failure; stored only.',
    props: [
      prop('Protocol', enumType(['Radius', 'Diameter', 'Tacacs']), 'Protocol of the requests the rule applies to.', { storedOnly: true }),
      prop('Condition', stringType(), 'Expression over the rule\'s attribute tests, e.g. `A1 AND (A2 OR A3)`.', { storedOnly: true }),
      prop('Success', stringType(), 'Flow run when the condition holds, e.g. `Authen(mod1)-->fr2-->Author(oci)`.', { storedOnly: true }),
      prop('Failure', stringType(), 'Flow run when the condition fails.', { storedOnly: true }),
    ],
    fixed: [{ name: 'Attributes', cls: 'FastRuleAttributes' }],
  },
  { name: 'FastRuleAttributes', help: 'Attribute tests of a fast rule; stored only.', props: [], collection: { cls: 'FastRuleAttribute' } },
  {
    name: 'FastRuleAttribute',
    help: 'One attribute test of a fast rule; stored only.',
    props: [
      prop('Attribute', stringType(), 'Attribute tested.', { storedOnly: true }),
      prop('Value', stringType(), 'Value, range or match expression, e.g. `BEGINS_WITH(jane)`.', { storedOnly: true }),
    ],
  },
];
