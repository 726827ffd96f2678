"""Parse: blocks become tokens named after the national form's rows; the Lark grammar reads them;
the model is built."""
