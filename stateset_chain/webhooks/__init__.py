"""Durable, signed webhooks fed by the indexer's outbox.

The indexer writes one outbox row per chain event in the same PostgreSQL transaction as the block
that caused it, so an event exists exactly when its block was indexed. This package turns those
rows into HTTP deliveries:

    fanout   (delivery.fan_out)     outbox rows after the cursor -> one webhook_deliveries row per
                                    subscribed endpoint, and the cursor moved, in one transaction
    claim    (delivery.claim_due)   due pending rows, leased with SELECT ... FOR UPDATE SKIP LOCKED
    send     (delivery.send_one)    POST the stored payload, signed per Standard Webhooks
    record   (delivery.record)      2xx -> delivered; 410 -> endpoint disabled, its pending rows
                                    cancelled; anything else -> retry with backoff, until max_age

A worker killed at any moment loses nothing: an unsent lease expires and the row is sent again,
with the same ``webhook-id`` (the event id), so receivers deduplicate. Modules:
``signing`` (headers), ``urls`` (refusing private and loopback targets), ``backoff``,
``endpoints`` (CRUD and secrets), ``delivery`` (the worker).
"""
