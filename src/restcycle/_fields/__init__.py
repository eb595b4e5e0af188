"""The field families behind `fields`: the Field base class, text, numeric, temporal, choice,
composite and the rest, with their cached error texts and non-raising quick checks."""
