from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from typing import ClassVar as _ClassVar

DESCRIPTOR: _descriptor.FileDescriptor

class Conclusion(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    CONCLUSION_UNSPECIFIED: _ClassVar[Conclusion]
    CONCLUSION_APPROVE: _ClassVar[Conclusion]
    CONCLUSION_APPROVE_AFTER_REVISION: _ClassVar[Conclusion]
    CONCLUSION_REJECT: _ClassVar[Conclusion]
CONCLUSION_UNSPECIFIED: Conclusion
CONCLUSION_APPROVE: Conclusion
CONCLUSION_APPROVE_AFTER_REVISION: Conclusion
CONCLUSION_REJECT: Conclusion
