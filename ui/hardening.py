"""One guard around Streamlit itself. Streamlit reads a table's selection from the browser with json.loads and trusts
its shape: a forged selection (null cells, a number for rows, text that is no JSON) raises inside Streamlit, before
the page runs. `apply` wraps that one reader so that a selection it cannot read counts as no selection; ui.choices
then checks every selection that can be read (selected_row, selected_cell)."""

from streamlit.elements.arrow import DataframeSelectionSerde


def _tolerant(deserialize):
    def read(self, ui_value):
        try:
            return deserialize(self, ui_value)
        except (TypeError, ValueError, KeyError, AttributeError):  # not a selection: as if nothing was selected
            return deserialize(self, None)

    read.__wrapped__ = deserialize
    return read


def apply() -> None:
    """Install the guard (once per process)."""
    if not hasattr(DataframeSelectionSerde.deserialize, "__wrapped__"):
        DataframeSelectionSerde.deserialize = _tolerant(DataframeSelectionSerde.deserialize)
