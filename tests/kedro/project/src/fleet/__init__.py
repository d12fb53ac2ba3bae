"""fleet: the kedro project rcc's kedro runtime is tested with."""
