"""RQ job functions, one module per area, and the worker that runs them."""
