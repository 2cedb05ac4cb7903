"""The client's methods for one part of Prefect's API: Block types and documents (read_block_document_by_name, ...).

Prefect keeps them in ``prefect/client/orchestration/_blocks_documents/client.py``
and ``_blocks_types/client.py``; the async client (``get_client()``) gets the
same methods as coroutines. ``Block.save`` and ``Block.load`` (blocks/core.py)
go through them. A document's data is kept as saved, secrets included, as
Prefect's server keeps them (encrypted there); reading it with
``include_secrets=False`` shows each secret field as eight stars, as Prefect does.
"""

from __future__ import annotations

from typing import Any

from ... import store
from ...exceptions import ObjectAlreadyExists, ObjectNotFound, not_imitated
from ..schemas.objects import BlockDocument, BlockType
from .base import BaseClient, paged

OBFUSCATED_SECRET = "*" * 8  # what Prefect's server shows for a secret it does not send


def _document(records: store.Store, record: store.BlockDocument, include_secrets: bool) -> BlockDocument:
    block_type = records.block_types.get(record.block_type_slug)
    document = BlockDocument.of(record, block_type)
    if not include_secrets and block_type is not None:
        document.data = {k: OBFUSCATED_SECRET if k in block_type.secret_fields else v for k, v in record.data.items()}
    return document


def _find(records: store.Store, block_document_id: Any) -> store.BlockDocument:
    wanted = str(block_document_id)
    record = next((r for r in records.blocks.values() if r.id == wanted), None)
    if record is None:
        raise ObjectNotFound()
    return record


# The methods share the functions above, not each other: the async client's methods are coroutines.


class BlockClient(BaseClient):
    """Block types and documents (read_block_document_by_name, read_block_documents, read_block_types, ...)."""

    # -- block types -----------------------------------------------------------------------
    def create_block_type(self, block_type: BlockType, fields: list[str] | None = None,
                          secret_fields: list[str] | None = None) -> BlockType:  # fmt: skip
        """Register a kind of block (or update the one with that slug): what saving a block first does."""
        types = self.store.block_types
        now = self.session.now()
        record = types.get(block_type.slug)
        if record is None:
            record = store.BlockType(self.session.new_id(), block_type.name, block_type.slug, now, now)
            types[record.slug] = record
        record.name, record.updated = block_type.name, now
        record.fields, record.secret_fields = list(fields or []), list(secret_fields or [])
        return BlockType.of(record)

    def read_block_type_by_slug(self, slug: str) -> BlockType:
        record = self.store.block_types.get(slug)
        if record is None:
            raise ObjectNotFound()
        return BlockType.of(record)

    def read_block_types(self) -> list[BlockType]:
        return [BlockType.of(r) for r in sorted(self.store.block_types.values(), key=lambda r: r.name)]

    # -- block documents ---------------------------------------------------------------------
    def create_block_document(self, block_document: BlockDocument, include_secrets: bool = True) -> BlockDocument:
        """Save a block's values under its type and name (ObjectAlreadyExists if the name is taken)."""
        block_type = block_document.block_type
        assert block_type is not None, "a block document names its block type"
        key = f"{block_type.slug}/{block_document.name}"
        if key in self.store.blocks:
            raise ObjectAlreadyExists()  # the server's 409
        now = self.session.now()
        record = store.BlockDocument(self.session.new_id(), block_document.name or "", block_type.slug, block_type.name,
                                     dict(block_document.data), now, now)  # fmt: skip
        self.store.blocks[key] = record
        return _document(self.store, record, include_secrets)

    def update_block_document(self, block_document_id: Any, block_document: BlockDocument) -> None:
        record = _find(self.store, block_document_id)
        record.data, record.updated = dict(block_document.data), self.session.now()

    def read_block_document(self, block_document_id: Any, include_secrets: bool = True) -> BlockDocument:
        return _document(self.store, _find(self.store, block_document_id), include_secrets)

    def read_block_document_by_name(self, name: str, block_type_slug: str, include_secrets: bool = True) -> BlockDocument:
        record = self.store.blocks.get(f"{block_type_slug}/{name}")
        if record is None:
            raise ObjectNotFound()
        return _document(self.store, record, include_secrets)

    def read_block_documents(self, block_schema_type: str | None = None, offset: int | None = None,
                             limit: int | None = None, include_secrets: bool = True) -> list[BlockDocument]:  # fmt: skip
        """Every saved block, by name (Prefect's server sorts them so); `block_schema_type` is not imitated."""
        if block_schema_type is not None:
            raise not_imitated("block schemas", "read_block_documents(block_schema_type=...)")
        records = sorted(self.store.blocks.values(), key=lambda r: r.name)
        return [_document(self.store, r, include_secrets) for r in paged(records, limit, offset, "/block_documents/filter")]

    def read_block_documents_by_type(self, block_type_slug: str, offset: int | None = None,
                                     limit: int | None = None, include_secrets: bool = True) -> list[BlockDocument]:  # fmt: skip
        records = sorted((r for r in self.store.blocks.values() if r.block_type_slug == block_type_slug),
                         key=lambda r: r.name)  # fmt: skip
        chosen = paged(records, limit, offset, f"/block_types/slug/{block_type_slug}/block_documents")
        return [_document(self.store, r, include_secrets) for r in chosen]

    def delete_block_document(self, block_document_id: Any) -> None:
        record = _find(self.store, block_document_id)
        del self.store.blocks[f"{record.block_type_slug}/{record.name}"]


__all__ = ["BlockClient"]
