"""Tiny synthetic raw files in each publisher's layout, so that every parser runs without the mirror.

One module per source, each with ``write(root) -> {file name: path}`` that writes every raw file the
source declares under ``root/<source id>/`` (the mirror's layout), and the values it planted.
"""
