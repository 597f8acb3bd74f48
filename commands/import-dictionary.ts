import { command } from '../src/shell/command.js';
import { ShellError } from '../src/shell/session.js';
import { importDictionaryData } from '../src/config/radius-dictionary.js';
import { dialects, dictionaryForDialect, DictionaryError, parseDictionary, type Dialect } from '../src/radius/index.js';
import { nodeAt } from '../src/tree/tree.js';

export default command({
  name: 'import-dictionary',
  synopsis: 'import-dictionary <file> [<dialect>]',
  summary: 'Import a FreeRADIUS-format dictionary file into /Radius/Advanced (Attribute Dictionary, Vendor Attributes).',
  details: `The file is read on top of the built-in dictionary of <dialect> (default, kamailio, opensips or rfc5090; Debian's Kamailio dictionary needs kamailio, which defines Sip-Method as radcli does) with $INCLUDE, VENDOR (format=), BEGIN-VENDOR/END-VENDOR, ATTRIBUTE with its flags, BEGIN-TLV and VALUE; what it adds becomes objects of the working copy (same names are replaced). Save, then reload, to make the engine use it.`,
  writes: true,
  args: ['none'],
  run(sh, args) {
    if (args.length < 1 || args.length > 2) throw new ShellError('usage: import-dictionary <file> [<dialect>]');
    const dialect = (args[1] ?? 'default').toLowerCase();
    if (!dialects.includes(dialect as Dialect)) throw new ShellError(`'${args[1]}' is not one of ${dialects.join(', ')}`);
    let data;
    try {
      data = parseDictionary(args[0], dictionaryForDialect(dialect as Dialect));
    } catch (e) {
      if (e instanceof DictionaryError || (e as NodeJS.ErrnoException).code === 'ENOENT') throw new ShellError(`${(e as Error).message}`);
      throw e;
    }
    const counts = importDictionaryData(nodeAt(sh.root, ['Radius', 'Advanced'])!, data);
    sh.io.out(`Imported ${counts.vendors} vendors, ${counts.attributes} attributes and ${counts.values} values from ${args[0]}`);
    sh.modified();
  },
});
