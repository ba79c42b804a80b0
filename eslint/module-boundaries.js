// Module boundaries (decision 0010): a file of server/src/modules/<a>/ may import from another
// module <b> only what <b> shows the others: its Nest module, services, typed events and jobs,
// error codes, request/response schemas and ports (what it asks another module to provide). Repositories, table types and private helpers stay
// inside their module. And platform/ (no business rules) never imports a module.
import path from 'node:path';

const MODULES = `${path.sep}server${path.sep}src${path.sep}modules${path.sep}`;
const PLATFORM = `${path.sep}server${path.sep}src${path.sep}platform${path.sep}`;
const PUBLIC = /\.(module|service|events|jobs|errors|dto|port)\.[cm]?[jt]s$/;

/** The module folder a path lies in, or undefined. */
function moduleOf(file) {
  const i = file.indexOf(MODULES);
  return i < 0 ? undefined : file.slice(i + MODULES.length).split(path.sep)[0];
}

/** @type {import('eslint').Rule.RuleModule} */
export const moduleBoundaries = {
  meta: {
    type: 'problem',
    docs: { description: "forbid importing another module's repositories, tables and private helpers" },
    schema: [],
    messages: {
      internal: "'{{source}}' is private to the {{target}} module: use what it exports ({{target}}.module, *.service, *.events, *.jobs, *.errors, *.dto, *.port).",
      platform: "platform/ has no business rules and imports no module ('{{source}}').",
    },
  },
  create(context) {
    const file = context.filename;
    const own = moduleOf(file);
    const inPlatform = file.includes(PLATFORM);
    if (!own && !inPlatform) return {};
    const check = (node) => {
      const source = node.source?.value;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = moduleOf(path.resolve(path.dirname(file), source));
      if (!target) return;
      if (inPlatform) context.report({ node: node.source, messageId: 'platform', data: { source } });
      else if (target !== own && !PUBLIC.test(source)) context.report({ node: node.source, messageId: 'internal', data: { source, target } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};

export default { rules: { 'module-boundaries': moduleBoundaries } };
