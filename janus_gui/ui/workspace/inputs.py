"""The workspace's input row: portfolio and class, redemption date, mode, quantity and NAV."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QSignalBlocker, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QWidget,
)

from janus_gui.core import asof
from janus_gui.core.errors import JanusError
from janus_gui.core.models import ShareClass
from janus_gui.core.repository import Repository
from janus_gui.core.workspace_file import RedeemMode
from janus_gui.ui.date_field import DateField

MODE_LABELS = {
    RedeemMode.SHARES: "Shares",
    RedeemMode.AMOUNT: "Dollar amount",
    RedeemMode.ALL: "All shares held",
}
QUANTITY_LABELS = {
    RedeemMode.SHARES: "Shares:",
    RedeemMode.AMOUNT: "Amount ($):",
    RedeemMode.ALL: "Quantity:",
}
QUANTITY_PLACEHOLDERS = {
    RedeemMode.SHARES: "shares to redeem, e.g. 120",
    RedeemMode.AMOUNT: "gross dollars, e.g. 1,200.00",
    RedeemMode.ALL: "every share in the lot table",
}


def to_qdate(day: dt.date) -> QDate:
    """``datetime.date`` to ``QDate``."""
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> dt.date:
    """``QDate`` to ``datetime.date``."""
    return dt.date(day.year(), day.month(), day.day())


class InputsBar(QWidget):
    """Inputs of one redemption. ``changed`` fires after any edit."""

    changed = Signal()

    def __init__(self, repo: Repository, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._repo = repo
        self._build_ui()
        self._fill_portfolios()
        self._connect()

    def _build_ui(self) -> None:
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.portfolio = QComboBox()
        self.portfolio.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.portfolio.setMinimumContentsLength(22)
        self.portfolio.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.share_class = QComboBox()
        self.share_class.setMinimumContentsLength(12)
        self.redeem_date = DateField(dt.date.today())
        self.redeem_date.setToolTip("Trade date of the redemption")
        self.mode = QComboBox()
        for mode, label in MODE_LABELS.items():
            self.mode.addItem(label, mode)
        self.quantity = QLineEdit()
        self.quantity.setClearButtonEnabled(True)
        self.nav = QLineEdit()
        self.nav.setPlaceholderText("e.g. 10.00")
        self.nav.setToolTip("Net asset value (NAV) per share on the redemption date")
        nav_label = QLabel("NAV:")
        nav_label.setToolTip(self.nav.toolTip())
        first = QHBoxLayout()
        second = QHBoxLayout()
        for layout, pairs in (
            (
                first,
                (
                    ("Portfolio:", self.portfolio, 3),
                    ("Class:", self.share_class, 1),
                    ("Redeem on:", self.redeem_date, 0),
                ),
            ),
            (second, (("Redeem:", self.mode, 0), ("Quantity:", self.quantity, 1))),
        ):
            for title, widget, stretch in pairs:
                label = QLabel(title)
                label.setBuddy(widget)
                if widget is self.quantity:
                    self.quantity_label = label
                layout.addWidget(label)
                layout.addWidget(widget, stretch)
                layout.addSpacing(8)
        second.addWidget(nav_label)
        second.addWidget(self.nav, 1)
        second.addStretch(2)
        grid.addLayout(first, 0, 0)
        grid.addLayout(second, 1, 0)
        self._mode_shown = self.mode_value()
        self._on_mode_changed()

    def _connect(self) -> None:
        self.portfolio.currentIndexChanged.connect(self._on_portfolio_changed)
        self.share_class.currentIndexChanged.connect(self._on_field_changed)
        self.redeem_date.dateChanged.connect(self._on_date_changed)
        self.mode.currentIndexChanged.connect(self._on_mode_changed)
        self.quantity.textChanged.connect(self._on_field_changed)
        self.nav.textChanged.connect(self._on_field_changed)

    # -- choices ------------------------------------------------------------------------------
    def _fill_portfolios(self) -> None:
        day = self.date()
        current = self.portfolio_id()
        with QSignalBlocker(self.portfolio):
            self.portfolio.clear()
            try:
                portfolios = self._repo.portfolios()
            except JanusError:
                portfolios = []
            for portfolio in portfolios:
                name = portfolio.name_on(day)
                self.portfolio.addItem(f"{name} ({portfolio.portfolio_id})", portfolio.portfolio_id)
            self._select(self.portfolio, current)
        self._fill_classes()

    def _fill_classes(self) -> None:
        current = self.share_class_value()
        with QSignalBlocker(self.share_class):
            self.share_class.clear()
            pid = self.portfolio_id()
            classes = asof.documented_classes(self._repo, pid) if pid else []
            for share_class in classes or list(ShareClass):
                self.share_class.addItem(share_class.value, share_class)
            self._select(self.share_class, current)

    @staticmethod
    def _select(combo: QComboBox, value: object) -> bool:
        index = combo.findData(value) if value is not None else -1
        if index >= 0:
            combo.setCurrentIndex(index)
        return index >= 0

    # -- values -------------------------------------------------------------------------------
    def portfolio_id(self) -> str | None:
        """Selected portfolio id."""
        data = self.portfolio.currentData()
        return str(data) if data else None

    def share_class_value(self) -> ShareClass | None:
        """Selected class."""
        data = self.share_class.currentData()
        return ShareClass(data) if data else None

    def date(self) -> dt.date:
        """Redemption date."""
        return self.redeem_date.date()

    def mode_value(self) -> RedeemMode:
        """Shares, amount or all."""
        return RedeemMode(self.mode.currentData())

    def set_values(
        self,
        portfolio_id: str | None,
        share_class: ShareClass | str | None,
        redeem_date: dt.date | None,
        mode: RedeemMode | None = None,
        quantity: str | None = None,
        nav: str | None = None,
    ) -> None:
        """Set any of the inputs (``None`` leaves one unchanged); emits ``changed`` once."""
        with QSignalBlocker(self):
            if redeem_date is not None:
                self.redeem_date.setDate(redeem_date)
                self._fill_portfolios()
            if portfolio_id is not None and self._select(self.portfolio, portfolio_id):
                self._fill_classes()
            if share_class is not None:
                self._select(self.share_class, ShareClass.parse(str(share_class)))
            if mode is not None:
                self._select(self.mode, mode)
            if quantity is not None:
                self.quantity.setText(quantity)
            if nav is not None:
                self.nav.setText(nav)
        self.changed.emit()

    # -- slots --------------------------------------------------------------------------------
    def _on_field_changed(self, *_args: object) -> None:
        self.changed.emit()

    def _on_portfolio_changed(self) -> None:
        self._fill_classes()
        self.changed.emit()

    def _on_date_changed(self) -> None:
        self._fill_portfolios()  # names shown are those in force on the date
        self.changed.emit()

    def _on_mode_changed(self) -> None:
        """Relabel the box for the mode; a switch clears it (120 shares never become $120)."""
        mode = self.mode_value()
        if mode != self._mode_shown:
            self._mode_shown = mode
            self.quantity.clear()
        self.quantity_label.setText(QUANTITY_LABELS[mode])
        self.quantity.setEnabled(mode != RedeemMode.ALL)
        self.quantity.setPlaceholderText(QUANTITY_PLACEHOLDERS[mode])
        self.changed.emit()
