"""Read: files of any format become blocks (paragraphs and table grids); plain text goes through
the one layout step."""
