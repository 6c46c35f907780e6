"""Pure ranking engine of text → skills: tokens, lexical and phrase indexes, fusion, spans."""
