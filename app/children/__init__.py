"""Children: who the cases are about (Law on Children 2016; a child is a person under 16)."""
