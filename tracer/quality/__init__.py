"""Quality: acceptance sampling (GB/T 2828.1 / ISO 2859-1), inspection results, scan checks."""
