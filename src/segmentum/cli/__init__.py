"""The ``segmentum`` command: Click groups and commands, each a thin call into the library.

May import anything in segmentum; nothing imports it."""
