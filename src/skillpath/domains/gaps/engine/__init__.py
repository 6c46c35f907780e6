"""Pure, vectorised gap computations over the whole workforce."""
