"""magnus 0.5 takes a python task's parameters from the pydantic model it returns."""

from pydantic import BaseModel


class Total(BaseModel):
    total: int


def add_up_as_parameters(chunks: list) -> Total:
    return Total(total=sum(chunks))
