"""Portfolio browser: portfolios grouped by category, named as on the as-of date.

Each portfolio row shows the name in force on the as-of date; its other names (earlier and later,
with their periods and evidence) are child rows, so a user who knows only a 1999 name still finds
the lineage. Selecting a portfolio or any of its names emits ``portfolio_selected``.
"""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QFont, QPalette, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QTreeView, QVBoxLayout, QWidget

from janus_gui.core.models import Evidence, Portfolio, PortfolioName

PortfolioIdRole = Qt.ItemDataRole.UserRole + 2


def _period(name: PortfolioName) -> str:
    """The dates the name's source speaks for (inclusive)."""
    return f"{name.kind.value}, documented {name.documented_from} – {name.last_documented}"


def _name_tooltip(name: PortfolioName) -> str:
    evidence = "documented" if name.evidence == Evidence.DOCUMENTED else "inferred link"
    reason = f"<br>{html.escape(name.evidence_reason)}" if name.evidence_reason else ""
    return (
        f"<b>{html.escape(name.name)}</b><br>In use {_period(name)} ({evidence}){reason}"
        f"<br>Source {name.citation.label()}"
    )


class PortfolioTreeModel(QStandardItemModel):
    """Category → portfolio (name on the as-of date) → other names."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHorizontalHeaderLabels(["Portfolio"])
        self._portfolios: list[Portfolio] = []
        self._as_of: dt.date | None = None

    def set_portfolios(self, portfolios: list[Portfolio], as_of: dt.date) -> None:
        """Rebuild the tree for ``as_of``."""
        self._portfolios = list(portfolios)
        self._as_of = as_of
        self.clear()
        self.setHorizontalHeaderLabels(["Portfolio"])
        groups: dict[str, QStandardItem] = {}
        for portfolio in self._portfolios:
            category = portfolio.category or "Category not stated in the sources"
            if category not in groups:
                groups[category] = self._category_item(category)
                self.appendRow(groups[category])
            groups[category].appendRow(self._portfolio_item(portfolio, as_of))

    def portfolio_index(self, portfolio_id: str) -> QModelIndex:
        """The index of a portfolio row (invalid if unknown)."""
        for group_row in range(self.rowCount()):
            group = self.item(group_row)
            for row in range(group.rowCount()):
                child = group.child(row)
                if child.data(PortfolioIdRole) == portfolio_id:
                    return child.index()
        return QModelIndex()

    @staticmethod
    def _category_item(category: str) -> QStandardItem:
        item = QStandardItem(category)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = QFont(item.font())
        font.setBold(True)
        item.setFont(font)
        return item

    @staticmethod
    def _portfolio_item(portfolio: Portfolio, as_of: dt.date) -> QStandardItem:
        on_date = portfolio.name_support(as_of)
        current = [n for n in portfolio.names if n.name == on_date.name and n.documented(as_of)]
        item = QStandardItem(on_date.display())
        item.setData(portfolio.portfolio_id, PortfolioIdRole)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        if current:
            item.setToolTip(f"{portfolio.portfolio_id}: {_name_tooltip(current[-1])}")
        else:
            item.setToolTip(
                f"{portfolio.portfolio_id}: no name is documented on {as_of.isoformat()}: "
                f"{html.escape(on_date.describe())}."
            )
            font = QFont(item.font())
            font.setItalic(True)
            item.setFont(font)
        shown = current[-1] if current else None
        for name in portfolio.names:
            if name is shown:
                continue
            when = "former" if name.documented_to <= as_of else "other"
            if name.documented_from > as_of:
                when = "later"
            child = QStandardItem(f"{name.name}  ({when}, {_period(name)})")
            child.setData(portfolio.portfolio_id, PortfolioIdRole)
            child.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            child.setToolTip(_name_tooltip(name))
            child.setForeground(QPalette().brush(QPalette.ColorRole.PlaceholderText))
            item.appendRow(child)
        return item


class _NameFilterProxyModel(QSortFilterProxyModel):
    """Keeps a row when it, an ancestor or a descendant matches the filter text."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRecursiveFilteringEnabled(True)
        self.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)


class PortfolioBrowser(QWidget):
    """A filterable tree of portfolios; emits the portfolio id of the picked row."""

    portfolio_selected = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = PortfolioTreeModel(self)
        self.proxy = _NameFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self._quiet = False
        self._build_ui()
        self._connect()

    def _build_ui(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter portfolios")
        self.filter_edit.setClearButtonEnabled(True)
        layout.addWidget(self.filter_edit)
        self.tree = QTreeView()
        self.tree.setModel(self.proxy)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        layout.addWidget(self.tree, 1)

    def _connect(self) -> None:
        self.tree.selectionModel().currentChanged.connect(self._on_tree_current_changed)
        self.filter_edit.textChanged.connect(self._on_filter_text_changed)

    def set_portfolios(self, portfolios: list[Portfolio], as_of: dt.date) -> None:
        """Show ``portfolios`` named as on ``as_of``; keeps the current portfolio selected."""
        keep = self.current_portfolio_id()
        self._quiet = True
        try:
            self.model.set_portfolios(portfolios, as_of)
            self._expand_categories()
            if keep:
                self.select_portfolio(keep)
        finally:
            self._quiet = False

    def select_portfolio(self, portfolio_id: str) -> None:
        """Make ``portfolio_id`` current without emitting ``portfolio_selected``."""
        index = self.proxy.mapFromSource(self.model.portfolio_index(portfolio_id))
        if not index.isValid():
            return
        quiet, self._quiet = self._quiet, True
        try:
            self.tree.selectionModel().setCurrentIndex(
                index, QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
            self.tree.scrollTo(index)
        finally:
            self._quiet = quiet

    def current_portfolio_id(self) -> str | None:
        """The portfolio of the current row, if any."""
        index = self.tree.currentIndex()
        value = index.data(PortfolioIdRole) if index.isValid() else None
        return str(value) if value else None

    def _expand_categories(self) -> None:
        for row in range(self.proxy.rowCount()):
            self.tree.expand(self.proxy.index(row, 0))

    def _on_tree_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        portfolio_id = current.data(PortfolioIdRole) if current.isValid() else None
        if portfolio_id and not self._quiet:
            self.portfolio_selected.emit(str(portfolio_id))

    def _on_filter_text_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        self._expand_categories()
