"""Registration of the assets a project formed (G7: SN P art11, XY art20)."""
