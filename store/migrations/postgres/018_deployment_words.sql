-- PostgreSQL form of 018. The words are kept here too, as the projection
-- is one on both engines and verify compares them; PostgreSQL reads a word
-- through its GIN index as before (its parser reads some text across ASCII
-- punctuation, so a word's lexemes depend on the text around it), and so
-- needs no search_words.
CREATE TABLE deployment_words (
    word          TEXT NOT NULL,
    deployment_id TEXT NOT NULL,
    PRIMARY KEY (word, deployment_id)
);
CREATE INDEX deployment_words_deployment ON deployment_words (deployment_id);
-- Cut at every ASCII character not a letter or digit; translate lowers
-- ASCII letters only, as the store's indexWords does (lower() would fold
-- others too).
INSERT INTO deployment_words (word, deployment_id)
SELECT DISTINCT translate(w, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', 'abcdefghijklmnopqrstuvwxyz'), f.id
FROM deployments_fts f, regexp_split_to_table(f.body, '[^0-9A-Za-z\u0080-\U0010FFFF]+') w
WHERE w <> '';
