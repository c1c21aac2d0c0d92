"""The advice library: every self-care article, and a reader for one."""

from __future__ import annotations

from rich.console import Group
from rich.markdown import Markdown
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from companion import advice
from companion.content import fill
from companion.safety import DEFAULT_EMERGENCY_NUMBER, NOT_A_DIAGNOSIS, emergency_number
from screens.commands import BY_ID, bindings
from screens.footer import KeyFooter
from screens.title_bar import TitleBar
from screens.widgets import marked


class AdviceScreen(Screen[None]):
    """Every article by title, with its one-line summary; enter reads one."""

    SCOPE = "advice"
    BINDINGS = bindings(SCOPE)
    CSS_PATH = "advice.tcss"

    def compose(self) -> ComposeResult:
        yield TitleBar()
        yield Static(
            Text.assemble(
                ("Advice library", "bold"),
                "  Self-care for back pain and cramps, and when to get help.",
            ),
            id="intro",
        )
        yield OptionList(
            *(
                Option(Text.assemble((a.title, "bold"), "\n", (a.summary, "dim")), id=a.id)
                for a in advice.library()
            ),
            id="articles",
        )
        yield KeyFooter()

    def on_mount(self) -> None:
        # Set here too: the triage result opens the library directly, not through its command.
        self.sub_title = BY_ID["advice"].title
        articles = self.query_one("#articles", OptionList)
        articles.highlighted = 0
        articles.focus()

    @on(OptionList.OptionSelected, "#articles")
    def open_article(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.app.push_screen(ArticleScreen(event.option.id))

    def action_read(self) -> None:
        self.query_one("#articles", OptionList).action_select()


class ArticleScreen(Screen[None]):
    """One article, its sources in full, and the reminder that it is not a diagnosis."""

    CSS_PATH = "advice.tcss"

    def __init__(self, article_id: str) -> None:
        super().__init__()
        self.article = advice.library().get(article_id)

    def compose(self) -> ComposeResult:
        library = advice.library()
        yield TitleBar()
        with VerticalScroll(id="article"):
            yield Static(Text(self.article.title, style="bold"), id="title")
            yield Static(Markdown(fill(self.article.body, self.number())), id="body")
            yield Static(
                Group(
                    Text("Sources", style="bold"),
                    marked(("•", line) for line in library.source_lines(self.article)),
                    Text(f"\n{NOT_A_DIAGNOSIS}"),
                ),
                id="sources",
            )
        yield KeyFooter()

    def on_mount(self) -> None:
        self.sub_title = f"{BY_ID['advice'].title}: {self.article.title}"
        self.query_one("#article", VerticalScroll).focus()

    def number(self) -> str:
        """The person's emergency number; the general wording outside the companion's app."""
        from screens.app import CompanionApp

        app = self.app
        return (
            emergency_number(app.store)
            if isinstance(app, CompanionApp)
            else DEFAULT_EMERGENCY_NUMBER
        )
