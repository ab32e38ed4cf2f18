"""The integration API's endpoints, one module per area: reports, subsite, periodic, statistics."""
