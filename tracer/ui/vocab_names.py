"""Readable, translated names for CBV codes (business steps, dispositions, event types).

The ledger stores the standard codes; the window shows words. Each name is a
literal `translate()` call so Qt Linguist finds it; unknown codes show as is.
"""

from __future__ import annotations

from tracer.ui.qt import QCoreApplication


def biz_step_name(code: str | None) -> str:
    if not code:
        return ""
    bare = code.rsplit("-", 1)[-1] if code.startswith("http") else code.rsplit(":", 1)[-1]
    names = {
        "accepting": QCoreApplication.translate("Vocab", "accepting"),
        "arriving": QCoreApplication.translate("Vocab", "arriving"),
        "assembling": QCoreApplication.translate("Vocab", "assembling"),
        "collecting": QCoreApplication.translate("Vocab", "collecting"),
        "commissioning": QCoreApplication.translate("Vocab", "commissioning"),
        "consigning": QCoreApplication.translate("Vocab", "consigning"),
        "creating_class_instance": QCoreApplication.translate("Vocab", "creating class instance"),
        "cycle_counting": QCoreApplication.translate("Vocab", "cycle counting"),
        "decommissioning": QCoreApplication.translate("Vocab", "decommissioning"),
        "departing": QCoreApplication.translate("Vocab", "departing"),
        "destroying": QCoreApplication.translate("Vocab", "destroying"),
        "disassembling": QCoreApplication.translate("Vocab", "disassembling"),
        "dispensing": QCoreApplication.translate("Vocab", "dispensing"),
        "encoding": QCoreApplication.translate("Vocab", "encoding"),
        "entering_exiting": QCoreApplication.translate("Vocab", "entering / exiting"),
        "holding": QCoreApplication.translate("Vocab", "holding"),
        "inspecting": QCoreApplication.translate("Vocab", "inspecting"),
        "installing": QCoreApplication.translate("Vocab", "installing"),
        "killing": QCoreApplication.translate("Vocab", "killing"),
        "loading": QCoreApplication.translate("Vocab", "loading"),
        "other": QCoreApplication.translate("Vocab", "other"),
        "packing": QCoreApplication.translate("Vocab", "packing"),
        "picking": QCoreApplication.translate("Vocab", "picking"),
        "receiving": QCoreApplication.translate("Vocab", "receiving"),
        "removing": QCoreApplication.translate("Vocab", "removing"),
        "repackaging": QCoreApplication.translate("Vocab", "repackaging"),
        "repairing": QCoreApplication.translate("Vocab", "repairing"),
        "replacing": QCoreApplication.translate("Vocab", "replacing"),
        "reserving": QCoreApplication.translate("Vocab", "reserving"),
        "retail_selling": QCoreApplication.translate("Vocab", "retail selling"),
        "sampling": QCoreApplication.translate("Vocab", "sampling"),
        "sensor_reporting": QCoreApplication.translate("Vocab", "sensor reporting"),
        "shipping": QCoreApplication.translate("Vocab", "shipping"),
        "staging_outbound": QCoreApplication.translate("Vocab", "staging outbound"),
        "stock_taking": QCoreApplication.translate("Vocab", "stock taking"),
        "stocking": QCoreApplication.translate("Vocab", "stocking"),
        "storing": QCoreApplication.translate("Vocab", "storing"),
        "transporting": QCoreApplication.translate("Vocab", "transporting"),
        "unloading": QCoreApplication.translate("Vocab", "unloading"),
        "unpacking": QCoreApplication.translate("Vocab", "unpacking"),
        "void_shipping": QCoreApplication.translate("Vocab", "void shipping"),
        "recalling": QCoreApplication.translate("Vocab", "recalling"),
    }
    return names.get(bare, bare)


def disposition_name(code: str | None) -> str:
    if not code:
        return ""
    bare = code.rsplit("-", 1)[-1] if code.startswith("http") else code.rsplit(":", 1)[-1]
    names = {
        "active": QCoreApplication.translate("Vocab", "active"),
        "available": QCoreApplication.translate("Vocab", "available"),
        "completeness_inferred": QCoreApplication.translate("Vocab", "completeness inferred"),
        "completeness_verified": QCoreApplication.translate("Vocab", "completeness verified"),
        "conformant": QCoreApplication.translate("Vocab", "conformant"),
        "container_closed": QCoreApplication.translate("Vocab", "container closed"),
        "container_open": QCoreApplication.translate("Vocab", "container open"),
        "damaged": QCoreApplication.translate("Vocab", "damaged"),
        "destroyed": QCoreApplication.translate("Vocab", "destroyed"),
        "dispensed": QCoreApplication.translate("Vocab", "dispensed"),
        "disposed": QCoreApplication.translate("Vocab", "disposed"),
        "encoded": QCoreApplication.translate("Vocab", "encoded"),
        "expired": QCoreApplication.translate("Vocab", "expired"),
        "in_progress": QCoreApplication.translate("Vocab", "in progress"),
        "in_transit": QCoreApplication.translate("Vocab", "in transit"),
        "inactive": QCoreApplication.translate("Vocab", "inactive"),
        "mismatch_class": QCoreApplication.translate("Vocab", "mismatch (class)"),
        "mismatch_instance": QCoreApplication.translate("Vocab", "mismatch (instance)"),
        "mismatch_quantity": QCoreApplication.translate("Vocab", "mismatch (quantity)"),
        "needs_replacement": QCoreApplication.translate("Vocab", "needs replacement"),
        "no_pedigree_match": QCoreApplication.translate("Vocab", "no pedigree match"),
        "non_conformant": QCoreApplication.translate("Vocab", "non-conformant"),
        "non_sellable_other": QCoreApplication.translate("Vocab", "non-sellable (other)"),
        "partially_dispensed": QCoreApplication.translate("Vocab", "partially dispensed"),
        "recalled": QCoreApplication.translate("Vocab", "recalled"),
        "reserved": QCoreApplication.translate("Vocab", "reserved"),
        "retail_sold": QCoreApplication.translate("Vocab", "retail sold"),
        "returned": QCoreApplication.translate("Vocab", "returned"),
        "sellable_accessible": QCoreApplication.translate("Vocab", "sellable, accessible"),
        "sellable_not_accessible": QCoreApplication.translate("Vocab", "sellable, not accessible"),
        "stolen": QCoreApplication.translate("Vocab", "stolen"),
        "unavailable": QCoreApplication.translate("Vocab", "unavailable"),
        "unknown": QCoreApplication.translate("Vocab", "unknown"),
    }
    return names.get(bare, bare)


def event_type_name(code: str | None) -> str:
    names = {
        "ObjectEvent": QCoreApplication.translate("Vocab", "Object"),
        "AggregationEvent": QCoreApplication.translate("Vocab", "Aggregation"),
        "TransformationEvent": QCoreApplication.translate("Vocab", "Transformation"),
        "TransactionEvent": QCoreApplication.translate("Vocab", "Transaction"),
        "AssociationEvent": QCoreApplication.translate("Vocab", "Association"),
    }
    return names.get(code or "", code or "")


def action_name(code: str | None) -> str:
    names = {
        "ADD": QCoreApplication.translate("Vocab", "add"),
        "OBSERVE": QCoreApplication.translate("Vocab", "observe"),
        "DELETE": QCoreApplication.translate("Vocab", "delete"),
    }
    return names.get(code or "", code or "")


def error_reason_name(code: str) -> str:
    names = {
        "incorrect_data": QCoreApplication.translate("Vocab", "incorrect data"),
        "did_not_occur": QCoreApplication.translate("Vocab", "did not occur"),
    }
    return names.get(code, code)


BIZ_STEPS_COMMON = (
    "commissioning", "inspecting", "packing", "shipping", "receiving", "unpacking",
    "storing", "picking", "retail_selling", "holding", "destroying", "recalling",
)  # fmt: skip
DISPOSITIONS_COMMON = (
    "active", "in_progress", "in_transit", "conformant", "non_conformant",
    "sellable_accessible", "sellable_not_accessible", "retail_sold", "returned",
    "recalled", "damaged", "expired", "destroyed",
)  # fmt: skip
