"""The streamed XML reader: only events and master data reach Python, nested look-alikes stay put."""

from __future__ import annotations

import io

from tracer.epcis.xml_events import Prefixes, iter_xml_events

DOC = b"""<?xml version="1.0" encoding="UTF-8"?>
<epcis:EPCISDocument xmlns:epcis="urn:epcglobal:epcis:xsd:2" xmlns:ex="http://ns.example.com/x/"
    schemaVersion="2.0" creationDate="2026-01-01T00:00:00Z">
<EPCISHeader><extension><EPCISMasterData><VocabularyList>
  <Vocabulary type="urn:epcglobal:epcis:vtype:BusinessLocation">
    <VocabularyElementList><VocabularyElement id="urn:epc:id:sgln:6923456.00001.0">
      <attribute id="urn:epcglobal:cbv:mda#name">DC Shanghai</attribute>
    </VocabularyElement></VocabularyElementList>
  </Vocabulary>
</VocabularyList></EPCISMasterData></extension></EPCISHeader>
<EPCISBody><EventList>
  <ObjectEvent>
    <eventTime>2026-01-01T08:00:00.000+08:00</eventTime>
    <eventTimeZoneOffset>+08:00</eventTimeZoneOffset>
    <epcList><epc>urn:epc:id:sgtin:6923456.001003.1</epc></epcList>
    <action>OBSERVE</action>
    <ex:Vocabulary><ex:note>an extension that happens to be called Vocabulary</ex:note></ex:Vocabulary>
    <ex:ObjectEvent>nested, not an event</ex:ObjectEvent>
  </ObjectEvent>
  <extension><TransformationEvent>
    <eventTime>2026-01-01T09:00:00.000+08:00</eventTime>
    <eventTimeZoneOffset>+08:00</eventTimeZoneOffset>
  </TransformationEvent></extension>
</EventList></EPCISBody>
</epcis:EPCISDocument>
"""


def test_events_master_data_and_nested_look_alikes() -> None:
    vocabularies: list[dict] = []
    prefixes = Prefixes()
    events = list(iter_xml_events(io.BytesIO(DOC), prefixes, vocabularies))
    assert [e["type"] for e in events] == ["ObjectEvent", "TransformationEvent"]
    assert [v["type"] for v in vocabularies] == ["urn:epcglobal:epcis:vtype:BusinessLocation"]
    ext = {k: v for k, v in events[0].items() if k.endswith(("Vocabulary", "ObjectEvent"))}
    assert len(ext) == 2
    vocab = next(v for k, v in ext.items() if k.endswith("Vocabulary"))
    assert next(iter(vocab.values())) == "an extension that happens to be called Vocabulary"
    assert "nested, not an event" in ext.values()
