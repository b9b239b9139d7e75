"""The enumerations of the data resource catalog (信息资源目录), from YY annex 2's notes."""

# Column order and headings of YY annex 2; imports and exports use exactly these.
COLUMNS: list[tuple[str, str]] = [
    ("department", "部门名称"),
    ("resource_name", "信息资源名称"),
    ("format_category", "信息资源格式分类"),
    ("format_type", "信息资源格式类型"),
    ("item_name", "信息项名称"),
    ("data_type", "数据类型"),
    ("data_length", "数据长度"),
    ("share_type", "共享类型"),
    ("share_method", "共享方式"),
    ("open_to_public", "是否向社会开放"),
    ("open_conditions", "开放条件"),
    ("update_cycle", "数据更新周期"),
]
HEADINGS = [heading for _, heading in COLUMNS]

# Note 2: 信息资源格式分类.
FORMAT_CATEGORIES = ("电子文件", "电子表格", "数据库类", "图形图像类", "流媒体类", "自表述格式")
# Note 3: 信息资源格式类型, as the annex spells them (matched without regard to case).
FORMAT_TYPES = (
    "OFD", "wps", "xml", "txt", "doc", "docx", "html", "pdf", "ppt", "et", "xls", "xlsx",
    "Dm", "KingbaseES", "access", "dbf", "dbase", "sysbase", "oracle", "sql server", "db2",
    "jpg", "gif", "bmp", "swf", "rm", "mpg",
)  # fmt: skip
# Note 5: data types of structured data, by their letter.
DATA_TYPES = {
    "C": "字符型",
    "N": "数值型",
    "Y": "货币型",
    "D": "日期型",
    "T": "日期时间型",
    "L": "逻辑型",
    "M": "备注型",
    "G": "通用型",
    "B": "双精度型",
    "I": "整型",
    "F": "浮点型",
}
# Note 5: structured data states its data type and length.
STRUCTURED_CATEGORIES = ("电子表格", "数据库类")
# Note 6, note 7, note 8.
SHARE_TYPES = ("无条件共享", "有条件共享", "不予共享")
SHARE_METHODS = ("共享交换平台", "接口", "数据库", "电子文档")
UPDATE_CYCLES = ("实时", "每日", "每周", "每月", "每季度", "每年")
# 是否向社会开放.
YES, NO = "是", "否"
