"""Choices a page offers (selectbox, multiselect, radio) that return only what was offered.

A browser sends a choice as text, and Streamlit returns any text it does not recognise as the value itself, or the
first option whose label matches it: an id that is not among the options, or one whose label looks like an offered
one, would come back as the choice. Here every option is keyed by its value, labels are made unique, the label of
anything that is not an offered key is refused (format_func raises, so Streamlit falls back to the label the browser
sent, which names an offered option or nothing), and whatever still comes back that is not one of the offered keys is
replaced by the default: a forged value is ignored, never shown.
"""

from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import streamlit as st


def unique_labels(options: Mapping[Hashable, str]) -> dict[Hashable, str]:
    """The labels with every label that occurs more than once followed by its key: 'De Kleine Beer (P07)'."""
    seen: dict[str, int] = {}
    for label in options.values():
        seen[label] = seen.get(label, 0) + 1
    return {key: f"{label} ({key})" if seen[label] > 1 else label for key, label in options.items()}


def _labelled(options: Mapping[Hashable, str] | Sequence) -> dict[Hashable, str]:
    return unique_labels(options if isinstance(options, Mapping) else {o: str(o) for o in options})


def choose(label: str, options: Mapping[Hashable, str] | Sequence, *, key: str | None = None, index: int | None = 0,
           where: Any = st, **kwargs) -> Any:
    """A selectbox over these options (key -> label, or plain values); returns an offered key, or the default
    (the option at index, or None) when the browser sent anything else."""
    labels = _labelled(options)
    keys = list(labels)
    default = keys[index] if index is not None and index < len(keys) else None
    if key is not None and key in st.session_state and not _offered(st.session_state[key], labels):
        del st.session_state[key]  # a value kept from an earlier run that is no longer offered
    value = where.selectbox(label, keys, index=index if default is not None else None, key=key,
                            format_func=labels.__getitem__, **kwargs)
    return value if _offered(value, labels) else default


def choose_many(label: str, options: Mapping[Hashable, str] | Sequence, *, key: str | None = None,
                default: Sequence = (), where: Any = st, **kwargs) -> list:
    """A multiselect over these options; returns only offered keys, in the order chosen, each once."""
    labels = _labelled(options)
    if key is not None and key in st.session_state:
        kept = [v for v in _as_list(st.session_state[key]) if _offered(v, labels)]
        if kept != st.session_state[key]:  # only a forged or outdated value is rewritten
            st.session_state[key] = kept
    values = where.multiselect(label, list(labels), default=[d for d in default if _offered(d, labels)], key=key,
                               format_func=labels.__getitem__, **kwargs)
    return list(dict.fromkeys(v for v in values or [] if _offered(v, labels)))


def choose_one_of(label: str, options: Mapping[Hashable, str] | Sequence, *, key: str | None = None,
                  index: int | None = 0, where: Any = st, **kwargs) -> Any:
    """Radio buttons over these options; returns an offered key, or the default when anything else was sent."""
    labels = _labelled(options)
    keys = list(labels)
    default = keys[index] if index is not None and index < len(keys) else None
    value = where.radio(label, keys, index=index, key=key, format_func=labels.__getitem__, **kwargs)
    return value if _offered(value, labels) else default


def _as_list(value: Any) -> list:
    return list(value) if isinstance(value, (list, tuple)) else []


def _offered(value: Any, labels: dict) -> bool:
    try:
        return value in labels
    except TypeError:  # an unhashable value (a list sent for a single choice)
        return False


def selected_row(event: Any, rows: int) -> int | None:
    """The first row a dataframe's selection names, when it is one of its rows (else None): a browser may send
    any row number, a text or null."""
    picked = _selection(event, "rows")
    first = picked[0] if picked else None
    return first if isinstance(first, int) and not isinstance(first, bool) and 0 <= first < rows else None


def selected_cell(event: Any, rows: int, columns: Sequence[str]) -> tuple[int, str] | None:
    """The first cell a dataframe's selection names, as (row, column), when both are the table's (else None)."""
    picked = _selection(event, "cells")
    cell = picked[0] if picked else None
    if not isinstance(cell, (list, tuple)) or len(cell) != 2:
        return None
    row, column = cell
    if not isinstance(row, int) or isinstance(row, bool) or not 0 <= row < rows:
        return None
    return (row, column) if isinstance(column, str) and column in columns else None


def _selection(event: Any, kind: str) -> list:
    try:
        picked = event.selection[kind] if isinstance(event.selection, Mapping) else getattr(event.selection, kind)
    except (AttributeError, KeyError, TypeError):
        return []
    return list(picked) if isinstance(picked, (list, tuple)) else []
