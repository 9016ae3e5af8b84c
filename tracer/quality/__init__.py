"""Quality: acceptance sampling (GB/T 2828.1 / ISO 2859-1), inspection results, scan checks;
quality signals (complaints, injury reports, spot checks) linked to lots, risk alerts and
quality records per producer, product and supplier (see docs/quality.md)."""
