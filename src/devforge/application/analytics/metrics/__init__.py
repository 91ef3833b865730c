"""The analytics context's own metrics, one module per group (users, extensions, developers),
registered by ``bootstrap/contexts/analytics.py``. Revenue's and, later, support's metrics are
added the same way (see ``metric_catalogue``)."""
