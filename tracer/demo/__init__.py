"""Realistic, deterministic demo data: a Chinese consumer-goods supply chain."""
