"""Operations on a database: re-extracting stored articles, listing runs, counting rows."""
