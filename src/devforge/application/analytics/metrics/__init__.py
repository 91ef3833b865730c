"""The analytics context's own metrics, one module per group (users, extensions, developers,
revenue), registered by ``bootstrap/contexts/analytics.py``. Support's metrics are added later the
same way (see ``metric_catalogue``)."""
