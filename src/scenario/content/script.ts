import {pickSkewed} from '../names.js'
import {PY_VERSION} from '../layout.js'
import {CODE_WORDS} from '../vocabulary.js'
import type {RenderContext} from './context.js'

/**
 * bin/ scripts: pip-style entry points and shell activation scripts. A relocated entry point has
 * the absolute shebang pip writes; the others use `/usr/bin/env`, as relocatable installs do.
 */
export function renderScript(ctx: RenderContext): Buffer {
  const {rng, file} = ctx
  if (file.role === 'activate') return Buffer.from(activate(ctx))
  const shebang = file.relocated ? `#!${ctx.prefix}/bin/python${PY_VERSION.split('.')[0]}` : '#!/usr/bin/env python3'
  const module = `${file.pkg?.name ?? 'pip'}.${pickSkewed(rng, CODE_WORDS)}`
  return Buffer.from(`${shebang}
# -*- coding: utf-8 -*-
import re
import sys
from ${module} import ${rng.pick(['main', 'cli', 'run', 'entry_point'])}
if __name__ == '__main__':
    sys.argv[0] = re.sub(r'(-script\\.pyw|\\.exe)?$', '', sys.argv[0])
    sys.exit(${rng.pick(['main', 'cli', 'run', 'entry_point'])}())
`)
}

function activate(ctx: RenderContext): string {
  const env = ctx.file.relocated ? `"${ctx.prefix}"` : '"$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"'
  const more = ctx.file.relocated ? `export CONDA_PREFIX="${ctx.prefix}"\nexport SSL_CERT_FILE="${ctx.prefix}/ssl/cacert.pem"\n` : ''
  return `# This file must be used with "source bin/activate" *from bash*
# you cannot run it directly

deactivate () {
    if [ -n "\${_OLD_VIRTUAL_PATH:-}" ] ; then
        PATH="\${_OLD_VIRTUAL_PATH:-}"
        export PATH
        unset _OLD_VIRTUAL_PATH
    fi
    if [ -n "\${_OLD_VIRTUAL_PS1:-}" ] ; then
        PS1="\${_OLD_VIRTUAL_PS1:-}"
        export PS1
        unset _OLD_VIRTUAL_PS1
    fi
    unset VIRTUAL_ENV
    if [ ! "\${1:-}" = "nondestructive" ] ; then
        unset -f deactivate
    fi
}

deactivate nondestructive

VIRTUAL_ENV=${env}
export VIRTUAL_ENV
${more}
_OLD_VIRTUAL_PATH="$PATH"
PATH="$VIRTUAL_ENV/bin:$PATH"
export PATH

if [ -z "\${VIRTUAL_ENV_DISABLE_PROMPT:-}" ] ; then
    _OLD_VIRTUAL_PS1="\${PS1:-}"
    PS1="(${ctx.file.pkg?.name ?? 'env'}) \${PS1:-}"
    export PS1
fi

hash -r 2> /dev/null
`
}
