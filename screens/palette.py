"""The command palette's view of the command registry (imported when the palette opens)."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from screens.commands import Command, live_commands


class CommandsProvider(Provider):
    """The command palette's view of ``COMMANDS``."""

    def _hits(self) -> list[tuple[str, Command]]:
        return [(f"{c.title} ({c.shown_key})", c) for c in live_commands(self.screen)]

    async def _run(self, command: Command) -> None:
        await self.screen.run_action(command.action)

    async def discover(self) -> Hits:
        for text, command in self._hits():
            yield DiscoveryHit(text, partial(self._run, command), help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, command in self._hits():
            score = matcher.match(f"{text} {command.help}")
            if score > 0:
                yield Hit(
                    score,
                    matcher.highlight(text),
                    partial(self._run, command),
                    text=text,
                    help=command.help,
                )
