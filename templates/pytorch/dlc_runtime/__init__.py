"""dlc's training runtime for PyTorch, copied verbatim into every project `dlc emit --target pytorch` writes.

It reproduces dlc's own runtime (src/runtime/ in the dlc repository) exactly where
that is possible: the same seeded data order, validation split and augmentation
(bit for bit), the same optimizer equations, learning-rate schedules, metrics,
epoch loop, run directory and report fields. Nothing here depends on a spec: the
emitted model.py and train.py pass the spec in.
"""
