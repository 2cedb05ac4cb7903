"""Blocks: typed configuration saved on Prefect's server under a name (``prefect.blocks.core``).

A block class is written as a pydantic model: annotated class attributes are
its fields, a class attribute of the same name their default::

    class Cube(Block):
        edge_length_inches: float

    Cube(edge_length_inches=2.25).save("rubiks-cube")
    Cube.load("rubiks-cube").edge_length_inches      # 2.25
    Block.load("cube/rubiks-cube")                    # by "type slug/name"

The block *type* (its name and slug, ``cube``) is registered when a block of
the class is first saved; the *document* (the values, under a name) lives in
the session's store, through the client. Fields are checked as pydantic checks
them (models.py, validation.py); a field of one of pydantic's own types
(``SecretStr``) is handed to pydantic, which the script imported. A class that
needs what sim_prefect cannot do without pydantic (a field type it cannot
check, pydantic validators, ``model_config``) fails when it is defined, naming
what is missing, rather than accept values unchecked.
"""

from __future__ import annotations

import enum
import importlib.util
import re
import typing
import unicodedata
import warnings
from typing import Any, ClassVar, TypeVar

from .. import _msgs
from ..async_dispatch import async_dispatch
from ..client.orchestration import get_client
from ..client.schemas.objects import BlockDocument, BlockType
from ..exceptions import ObjectAlreadyExists, ObjectNotFound, UnknownBlockType, not_imitated
from ..models import FieldInfo, Model, ValidationError, mentions_pydantic, revealed
from ..store import jsonable
from ..validation import SCALARS

# Every block class defined in this process, by type slug: what ``Block.load("slug/name")`` instantiates.
_CLASSES: dict[str, type[Block]] = {}


def slugify(text: str) -> str:
    """A block type's slug as python-slugify makes it: ``My_Thing`` -> ``my-thing``, ``Cube`` -> ``cube``."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    text = re.sub(r"['\"]+", "", text.lower())
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def _pydantic_available() -> bool:
    return importlib.util.find_spec("pydantic") is not None


# -- what a block's fields may be -------------------------------------------------------------


def _checkable(annotation: Any) -> bool:
    """Whether validation.py can check values against `annotation` without pydantic."""
    if annotation in (Any, object, None, type(None)) or annotation in SCALARS:
        return True
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return _checkable(args[0])
    if origin is typing.Literal:
        return True
    if origin in (typing.Union, list, set, frozenset, tuple, dict) or type(annotation).__name__ == "UnionType":
        return all(a is Ellipsis or _checkable(a) for a in args)
    if annotation in (list, set, frozenset, tuple, dict):
        return True
    return isinstance(annotation, type) and issubclass(annotation, enum.Enum)


def _refuse_what_needs_pydantic(cls: type[Block]) -> None:
    """Fail at the class statement, as pydantic would, for what only pydantic could honour."""
    for name, value in vars(cls).items():
        if type(value).__name__ == "PydanticDescriptorProxy":  # @field_validator, @model_validator, ...
            raise not_imitated("blocks", f"pydantic's validators on a block ({cls.__name__}.{name})")
    if "model_config" in vars(cls):
        raise not_imitated("blocks", f"model_config on a block ({cls.__name__})")


def _check_field(cls: type[Block], name: str, info: FieldInfo) -> None:
    annotation = info.annotation
    for inner in [annotation, *typing.get_args(annotation)]:
        if isinstance(inner, type) and issubclass(inner, Block):
            raise not_imitated("blocks", f"a block field that holds another block ({cls.__name__}.{name}: "
                                         f"{inner.__name__}); Prefect saves it as a reference to a block document")
    if _checkable(annotation) or mentions_pydantic(annotation) or info.pydantic is not None:
        return
    if isinstance(annotation, type) and any(b.__module__.startswith("pydantic") for b in annotation.__mro__):
        return  # a pydantic model: validation.py hands it to pydantic
    if _pydantic_available():
        info.by_pydantic = True  # pydantic checks it, as in Prefect
        return
    raise not_imitated(
        "blocks", f"the field {cls.__name__}.{name}: {getattr(annotation, '__name__', annotation)!s}, a type "
                  "sim_prefect cannot check without pydantic (it checks str, int, float, bool, bytes, datetime, "
                  "date, Enum, Literal, Optional and unions, list, set, tuple, dict and Any)",
    )  # fmt: skip


# -- the block ------------------------------------------------------------------------------

B = TypeVar("B", bound="Block")


class Block(Model):
    """A block: a pydantic-style model whose values are saved as a block document (see the module's docstring)."""

    _extra = "allow"
    _block_type_name: ClassVar[str | None] = None
    _block_type_slug: ClassVar[str | None] = None
    _logo_url: ClassVar[Any] = None
    _documentation_url: ClassVar[Any] = None
    _description: ClassVar[str | None] = None
    _code_example: ClassVar[str | None] = None

    def __init_subclass__(cls, **kwargs: Any) -> None:
        _refuse_what_needs_pydantic(cls)
        super().__init_subclass__(**kwargs)
        for name, info in cls.model_fields.items():
            _check_field(cls, name, info)
        _CLASSES[cls.get_block_type_slug()] = cls

    def __init__(self, **data: Any) -> None:
        super().__init__(**data)
        self._block_document_id: Any = None
        self._block_document_name: str | None = None
        self._is_anonymous: bool | None = None
        self.block_initialization()

    def block_initialization(self) -> None:
        """Called after the block is made (Prefect's hook for what a block would do in ``__init__``)."""

    def __str__(self) -> str:
        return repr(self)

    def model_dump(self, *, exclude_unset: bool = False, mode: str = "python") -> dict[str, Any]:
        data = super().model_dump(exclude_unset=exclude_unset, mode=mode)
        data["block_type_slug"] = self.get_block_type_slug()
        for key in ("_block_document_id", "_block_document_name", "_is_anonymous"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        return data

    # -- its type ------------------------------------------------------------------------
    @classmethod
    def get_block_type_name(cls) -> str:
        return cls._block_type_name or cls.__name__

    @classmethod
    def get_block_type_slug(cls) -> str:
        return slugify(cls._block_type_slug or cls.get_block_type_name())

    @classmethod
    def get_description(cls) -> str | None:
        return cls._description or (cls.__doc__.strip().split("\n\n")[0] if cls.__doc__ else None)

    @classmethod
    def _secret_fields(cls) -> list[str]:
        """The fields shown masked (Prefect's block schema lists them as ``secret_fields``)."""
        return [name for name, info in cls.model_fields.items() if _mentions_secret(info.annotation)]

    @classmethod
    def _register(cls) -> BlockType:
        with get_client(sync_client=True) as client:
            kind = BlockType(id=None, created=None, updated=None, name=cls.get_block_type_name(),
                             slug=cls.get_block_type_slug(), description=cls.get_description())  # fmt: skip
            registered: BlockType = client.create_block_type(kind, list(cls.model_fields), cls._secret_fields())
            return registered

    @classmethod
    async def aregister_type_and_schema(cls, client: Any = None) -> None:
        """Register the block's type on the server (saving a block does it too)."""
        cls._register()

    @classmethod
    @async_dispatch(aregister_type_and_schema)
    def register_type_and_schema(cls, client: Any = None) -> None:
        """Register the block's type on the server (saving a block does it too)."""
        cls._register()

    # -- saving -------------------------------------------------------------------------
    def _data(self) -> dict[str, Any]:
        """The values as the document keeps them: JSON, secrets revealed (the server keeps them encrypted)."""
        data = {name: getattr(self, name) for name in type(self).model_fields}
        data.update(self.__pydantic_extra__)
        return {k: jsonable(_plain(revealed(v))) for k, v in data.items()}

    def _save(self, name: str | None, overwrite: bool) -> Any:
        if name is None:
            if self._block_document_name is None:
                raise ValueError(_msgs.BLOCK_WITHOUT_NAME)
            name = self._block_document_name
        self._is_anonymous = False
        block_type = type(self)._register()
        document = BlockDocument(id=self._block_document_id, created=None, updated=None, name=name,
                                 data=self._data(), block_type_name=block_type.name, block_type=block_type)  # fmt: skip
        with get_client(sync_client=True) as client:
            try:
                saved = client.create_block_document(document)
            except ObjectAlreadyExists as err:
                if not overwrite:
                    raise ValueError(_msgs.BLOCK_NAME_TAKEN) from err
                existing = client.read_block_document_by_name(name, block_type.slug)
                client.update_block_document(existing.id, document)
                saved = client.read_block_document(existing.id)
        self._block_document_name = saved.name
        self._block_document_id = saved.id
        return saved.id

    async def asave(self, name: str | None = None, overwrite: bool = False, client: Any = None) -> Any:
        """Save the values as a block document named `name` (``overwrite=True`` to replace one); returns its id."""
        return self._save(name, overwrite)

    @async_dispatch(asave)
    def save(self, name: str | None = None, overwrite: bool = False, client: Any = None) -> Any:
        """Save the values as a block document named `name` (``overwrite=True`` to replace one); returns its id."""
        return self._save(name, overwrite)

    # -- loading ------------------------------------------------------------------------
    @classmethod
    def _document(cls, name: str) -> tuple[BlockDocument, str]:
        if cls is Block:
            slug, document_name = name.split("/", 1)
        else:
            slug, document_name = cls.get_block_type_slug(), name
        with get_client(sync_client=True) as client:
            try:
                return client.read_block_document_by_name(document_name, slug), slug
            except ObjectNotFound as err:
                raise ValueError(_msgs.BLOCK_NOT_FOUND.format(name=document_name, slug=slug)) from err

    @classmethod
    def _load(cls, name: str, validate: bool) -> Any:
        document, slug = cls._document(name)
        block_class = cls
        if cls is Block:
            block_class = _CLASSES.get(slug)  # type: ignore[assignment]
            if block_class is None:
                raise UnknownBlockType(_msgs.BLOCK_CLASS_NOT_FOUND.format(slug=slug))
        try:
            block = block_class(**document.data)
        except ValidationError as err:
            if validate:
                raise RuntimeError(_msgs.BLOCK_LOAD_INVALID.format(name=document.name, slug=slug)) from err
            missing = tuple(e["loc"][0] for e in err.errors())
            warnings.warn(_msgs.BLOCK_LOAD_PARTIAL.format(
                name=document.name, slug=slug, cls=block_class.__name__, fields=", ".join(map(repr, missing)),
            ), stacklevel=4)  # fmt: skip
            block = block_class.model_construct(**document.data, **dict.fromkeys(missing))
        block._block_document_name = document.name
        block._block_document_id = document.id
        block._is_anonymous = False
        return block

    @classmethod
    def model_construct(cls: type[B], **values: Any) -> B:
        """A block from values as they are, unchecked (pydantic's ``model_construct``)."""
        block = super().model_construct(**values)
        block._block_document_id = block._block_document_name = block._is_anonymous = None
        return block

    @classmethod
    async def aload(cls, name: str, validate: bool = True, client: Any = None) -> Any:
        """The block saved under `name` (``"slug/name"`` on ``Block`` itself)."""
        return cls._load(name, validate)

    @classmethod
    @async_dispatch(aload)
    def load(cls, name: str, validate: bool = True, client: Any = None) -> Any:
        """The block saved under `name` (``"slug/name"`` on ``Block`` itself)."""
        return cls._load(name, validate)

    # -- deleting -----------------------------------------------------------------------
    @classmethod
    def _delete(cls, name: str) -> None:
        document, _ = cls._document(name)
        with get_client(sync_client=True) as client:
            client.delete_block_document(document.id)

    @classmethod
    async def adelete(cls, name: str, client: Any = None) -> None:
        """Delete the block document saved under `name`."""
        cls._delete(name)

    @classmethod
    @async_dispatch(adelete)
    def delete(cls, name: str, client: Any = None) -> None:
        """Delete the block document saved under `name`."""
        cls._delete(name)

    def _repr_fields(self) -> list[tuple[str, Any]]:
        return [(name, getattr(self, name)) for name in type(self).model_fields]


def _plain(value: Any) -> Any:
    """Enum members as their values (pydantic's JSON form), inside lists and dicts too."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_plain(v) for v in value]
    return value


def _mentions_secret(annotation: Any) -> bool:
    if isinstance(annotation, type) and annotation.__name__ in ("SecretStr", "SecretBytes", "Secret"):
        return True
    return any(_mentions_secret(arg) for arg in typing.get_args(annotation))


Block.__module__ = "prefect.blocks.core"

__all__ = ["Block", "slugify"]
