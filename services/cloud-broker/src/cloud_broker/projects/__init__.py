"""Review's word on the projects the broker's requests name (F4, F5): the saga's projection."""
