"""Letters and documents: the document list, making a letter, batches, the letterhead and the PDF
viewer."""
