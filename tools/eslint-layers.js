// ESLint rule `lathe/layers`: imports must follow the architecture's one-way dependency table.
import path from 'node:path';

/** Which top-level folders each layer may import from (besides itself). */
export const ALLOWED = {
  'src/learners': [],
  'src/tables': ['src/domain'],
  'src/engines': ['src/learners', 'src/tables', 'src/domain'],
  'src/domain': [],
  'src/storage': ['src/domain', 'src/tables', 'src/engines'],
  'src/training': ['src/engines', 'src/tables', 'src/domain'],
  'src/services': ['src/domain', 'src/storage', 'src/training', 'src/engines', 'src/tables', 'src/contract'],
  'src/contract': [],
  'src/server': ['src/services', 'src/contract', 'src/domain', 'src/tables', 'src/engines', 'src/storage'],
  'src/client': ['src/contract'],
  'src/cli': ['src/client', 'src/server', 'src/services', 'src/contract', 'src/domain', 'src/tables', 'src/storage', 'src/engines', 'src/training'],
  web: ['src/contract', 'src/client'],
};

/** Node built-ins a pure layer must not reach for (file system, network, processes). */
const IO_MODULES = /^(node:)?(fs|fs\/promises|net|http|https|child_process|dgram|dns|tls)$/;
const PURE = new Set(['src/learners', 'src/domain', 'src/engines', 'src/contract']);

function layerOf(file, root) {
  const rel = path.relative(root, file).split(path.sep).join('/');
  if (rel.startsWith('web/')) return 'web';
  const m = /^src\/([^/]+)/.exec(rel);
  return m ? `src/${m[1]}` : null;
}

export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'enforce the one-way dependency direction between Lathe layers' },
    schema: [],
  },
  create(context) {
    const root = context.cwd;
    const file = context.filename;
    const from = layerOf(file, root);
    if (!from || !(from in ALLOWED) || /\.test\.tsx?$/.test(file)) return {};
    function check(node, source) {
      if (typeof source !== 'string') return;
      if (PURE.has(from) && IO_MODULES.test(source)) {
        context.report({ node, message: `${from} is pure computation and must not import '${source}'.` });
        return;
      }
      if (!source.startsWith('.')) return;
      const target = layerOf(path.resolve(path.dirname(file), source), root);
      if (!target || target === from) return;
      if (!ALLOWED[from].includes(target)) {
        context.report({
          node,
          message: `${from} must not depend on ${target} (allowed: ${ALLOWED[from].join(', ') || 'nothing'}). See DEVELOPERS.md.`,
        });
      }
    }
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    };
  },
};
