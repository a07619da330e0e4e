-- Each deployment's words, in (word, deployment id) order, so that a page of
-- one word reads its lists from the cursor and stops, where the search
-- index gives its matches in revision order and a page read them all
-- (store/words.go; docs/performance.md, "Full text, one word"). A word is a
-- run of bytes between ASCII bytes that are not letters or digits, its ASCII
-- letters lowered. search_words holds every word ever listed, and
-- search_words_fts indexes them as deployments_fts indexes the text, so
-- that the words a query matches are found there.
CREATE TABLE deployment_words (
    word          TEXT NOT NULL,
    deployment_id TEXT NOT NULL,
    PRIMARY KEY (word, deployment_id)
) WITHOUT ROWID;
CREATE INDEX deployment_words_deployment ON deployment_words (deployment_id);
CREATE TABLE search_words (word TEXT PRIMARY KEY);
CREATE VIRTUAL TABLE search_words_fts USING fts5 (word, content = 'search_words', tokenize = 'porter unicode61', detail = none, prefix = '2 3 4 5 6 7 8');
CREATE TRIGGER search_words_indexed AFTER INSERT ON search_words BEGIN
    INSERT INTO search_words_fts (rowid, word) VALUES (new.rowid, new.word);
END;
-- The words of every deployment's search text as it is: each ASCII byte
-- not a letter or digit made a space, the text cut at spaces (a JSON
-- array: no quote, backslash or control character is left), and lower()
-- lowers ASCII letters only, as the store's own indexWords does.
INSERT INTO deployment_words (word, deployment_id)
SELECT DISTINCT lower(j.value), f.id
FROM (SELECT id, replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(replace(body, char(0), ' '), char(1), ' '), char(2), ' '), char(3), ' '), char(4), ' '), char(5), ' '), char(6), ' '), char(7), ' '), char(8), ' '), char(9), ' '), char(10), ' '), char(11), ' '), char(12), ' '), char(13), ' '), char(14), ' '), char(15), ' '), char(16), ' '), char(17), ' '), char(18), ' '), char(19), ' '), char(20), ' '), char(21), ' '), char(22), ' '), char(23), ' '), char(24), ' '), char(25), ' '), char(26), ' '), char(27), ' '), char(28), ' '), char(29), ' '), char(30), ' '), char(31), ' '), '!', ' '), '"', ' '), '#', ' '), '$', ' '), '%', ' '), '&', ' '), '''', ' '), '(', ' '), ')', ' '), '*', ' '), '+', ' '), ',', ' '), '-', ' '), '.', ' '), '/', ' '), ':', ' '), ';', ' '), '<', ' '), '=', ' '), '>', ' '), '?', ' '), '@', ' '), '[', ' '), '\', ' '), ']', ' '), '^', ' '), '_', ' '), '`', ' '), '{', ' '), '|', ' '), '}', ' '), '~', ' '), char(127), ' ') AS t FROM deployments_fts) f, json_each('["' || replace(f.t, ' ', '","') || '"]') j
WHERE j.value <> '';
INSERT INTO search_words (word) SELECT DISTINCT word FROM deployment_words;
