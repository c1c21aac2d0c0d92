"""``companion hook SHELL``: the lines for a shell's rc file that run ``companion nudge`` when
the shell starts and then at most once an hour, at a prompt (as direnv and starship hook in).

The prompt's exit status (``$?``) is kept as it was, and nothing runs once the companion is
no longer installed.
"""

from __future__ import annotations

import shlex

SHELLS = ("bash", "zsh", "fish")
RC_FILES = {"bash": "~/.bashrc", "zsh": "~/.zshrc", "fish": "~/.config/fish/config.fish"}
EVERY_S = 3600

_BASH = """\
# companion: a nudge when nothing is logged today (companion hook bash)
_companion_nudge() {{
  local kept=$?
  if [[ -z ${{_companion_nudged-}} ]] || (( SECONDS - _companion_nudged >= {every} )); then
    _companion_nudged=$SECONDS
    if command -v {program} >/dev/null 2>&1{module}; then {command}; fi
  fi
  return $kept
}}
if [[ ${{PROMPT_COMMAND-}} != *_companion_nudge* ]]; then
  PROMPT_COMMAND="_companion_nudge${{PROMPT_COMMAND:+;$PROMPT_COMMAND}}"
fi
"""

_ZSH = """\
# companion: a nudge when nothing is logged today (companion hook zsh)
_companion_nudge() {{
  local kept=$?
  if (( ! ${{+_companion_nudged}} || SECONDS - _companion_nudged >= {every} )); then
    typeset -g _companion_nudged=$SECONDS
    if command -v {program} >/dev/null 2>&1{module}; then {command}; fi
  fi
  return $kept
}}
autoload -Uz add-zsh-hook
add-zsh-hook precmd _companion_nudge
"""

_FISH = """\
# companion: a nudge when nothing is logged today (companion hook fish)
function _companion_nudge --on-event fish_prompt
    set -l now (date +%s)
    if not set -q _companion_nudged; or test (math $now - $_companion_nudged) -ge {every}
        set -g _companion_nudged $now
        if command -q {program}; or test -x {program}{module}
            {command}
        end
    end
end
"""


def snippet(shell: str, program: list[str], options: list[str]) -> str:
    """The rc lines for ``shell`` running ``program nudge options``."""
    words = [*program, "nudge", *options]
    quote = fish_quote if shell == "fish" else shlex.quote
    quoted = [quote(w) for w in words]
    template = {"bash": _BASH, "zsh": _ZSH, "fish": _FISH}[shell]
    # Python running the companion (-m companion) stays after the companion is gone: the
    # module is looked for too, or every hour would bring "No module named companion".
    module = ""
    if len(program) == 3 and program[1] == "-m":
        found = f"{quoted[0]} -c {quote('import ' + program[2])} >/dev/null 2>&1"
        module = f" && {found}" if shell != "fish" else f"; and {found}"
    return template.format(
        every=EVERY_S,
        program=quoted[0],
        command=" ".join(quoted),
        module=module,
    )


def fish_quote(word: str) -> str:
    """A word for fish: inside its single quotes only backslash and quote are special."""
    if word and all(c.isalnum() or c in "@%+=:,./-_" for c in word):
        return word
    return "'" + word.replace("\\", "\\\\").replace("'", "\\'") + "'"
