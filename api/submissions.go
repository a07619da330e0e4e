package api

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strconv"

	"oversight/account"
	"oversight/contrib"
	"oversight/ingest"
	"oversight/internal/auth"
	"oversight/internal/httperror"
	"oversight/internal/params"
	"oversight/registry"
	"oversight/review"
)

// MaxBodyBytes bounds the body of a submission, an answer or a decision:
// a record at its limits with twenty pieces of evidence fits many times.
const MaxBodyBytes = 1 << 20

// readBody decodes a JSON body into v, refusing another Content-Type (415)
// and what the register refuses in an import file: more than MaxBodyBytes, duplicate keys, invalid
// UTF-8, nesting past registry.MaxDepth, keys that are not exactly a field of v (see
// ingest.DecodeJSON).
func readBody(w http.ResponseWriter, r *http.Request, v any) error {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		return &registry.Error{Code: registry.EUnsupported, Message: "send the body as application/json",
			Fields: registry.Errors{{Path: "header.Content-Type", Msg: "must be application/json"}}}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return registry.InvalidField("body", fmt.Sprintf("at most %d bytes", MaxBodyBytes))
	} else if err != nil {
		return err
	}
	if err := ingest.DecodeJSON(body, v); err != nil {
		return registry.InvalidField("body", "not the JSON this endpoint takes: "+err.Error())
	}
	return nil
}

// bodyErr locates the fields of a check's errors in the body.
func bodyErr(err error) error {
	var e *registry.Error
	if !errors.As(err, &e) || e.Code != registry.EInvalid {
		return err
	}
	out := *e
	out.Fields = make(registry.Errors, len(e.Fields))
	for i, f := range e.Fields {
		g := *f
		if !httperror.HasLocation(g.Path) {
			g.Path = "body." + g.Path
		}
		out.Fields[i] = &g
	}
	return &out
}

// receipt is the answer to a submission: the only time its token is shown.
type receipt struct {
	Receipt    string              `json:"receipt"`
	StatusPage string              `json:"status_page"`
	StatusAPI  string              `json:"status_api"`
	Submission *contrib.Submission `json:"submission"`
}

// noQuery refuses any query parameter: these endpoints take none.
func noQuery(r *http.Request) error { return params.Read(r.URL.Query()).Err() }

func (s *server) submit(w http.ResponseWriter, r *http.Request) {
	var p contrib.Proposal
	if err := cmp.Or(noQuery(r), readBody(w, r, &p)); err != nil {
		s.fail(w, r, err)
		return
	}
	token, err := account.NewToken(account.ReceiptPrefix)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	sub, err := s.Submissions.Submit(r.Context(), &p, auth.FromContext(r.Context()).Name, account.HashToken(token), s.Now())
	if err != nil {
		s.fail(w, r, bodyErr(err))
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Location", "/api/v1/receipts/"+token)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	json.NewEncoder(w).Encode(receipt{token, "/receipts/" + token, "/api/v1/receipts/" + token, sub.Public()})
}

// byReceipt finds the submission of the request's receipt token.
func (s *server) byReceipt(r *http.Request) (string, error) {
	token := r.PathValue("token")
	if !account.ValidToken(account.ReceiptPrefix, token) {
		return "", registry.NotFound("receipt")
	}
	return account.HashToken(token), nil
}

func (s *server) receiptStatus(w http.ResponseWriter, r *http.Request) {
	h, err := s.byReceipt(r)
	if err == nil {
		err = noQuery(r)
	}
	if err == nil {
		var sub *contrib.Submission
		if sub, err = s.Submissions.SubmissionByReceipt(r.Context(), h); err == nil {
			w.Header().Set("Cache-Control", "no-store")
			err = sendJSON(w, r, sub.Public())
		}
	}
	if err != nil {
		s.fail(w, r, err)
	}
}

// answer is the body of a contributor's answer.
type answer struct {
	Message  string            `json:"message"`
	Proposal *contrib.Proposal `json:"proposal,omitempty"`
}

func (s *server) answer(w http.ResponseWriter, r *http.Request) {
	h, err := s.byReceipt(r)
	var a answer
	if err == nil {
		err = cmp.Or(noQuery(r), readBody(w, r, &a))
	}
	var sub *contrib.Submission
	if err == nil {
		sub, err = s.Submissions.Answer(r.Context(), h, a.Message, a.Proposal, s.Now())
	}
	if err != nil {
		s.fail(w, r, bodyErr(err))
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	sendJSON(w, r, sub.Public())
}

// queue lists the submissions waiting for review; a jurisdiction filter
// is checked against the register rd reads, as every list's is.
func (s *server) queue(w http.ResponseWriter, r *http.Request, rd Reader) error {
	subs, _, after, err := params.Queue(r.Context(), s.Submissions, r.URL.Query(), func(p *params.Reader, f registry.DeploymentFilter) error {
		_, err := s.known(r.Context(), rd, p, f)
		return err
	})
	if err != nil {
		return err
	}
	out := collection[*contrib.Submission]{Items: subs}
	if after > 0 {
		out.Next = strconv.FormatInt(after, 10)
	}
	w.Header().Set("Cache-Control", "no-store")
	return sendJSON(w, r, out)
}

// submissionID reads the {id} of a submission's path.
func submissionID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		return 0, registry.InvalidField("path.id", "must be the id of a submission, a whole number from 1")
	}
	return id, nil
}

func (s *server) reviewView(w http.ResponseWriter, r *http.Request, rd Reader) error {
	id, err := submissionID(r)
	if err != nil {
		return err
	}
	if err := noQuery(r); err != nil {
		return err
	}
	sub, err := s.Submissions.Submission(r.Context(), id)
	if err != nil {
		return err
	}
	v, err := review.Prepare(r.Context(), rd, s.Classifier, sub, s.today())
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	return sendJSON(w, r, v)
}

// decision is the body of a reviewer's decision.
type decision struct {
	Action  contrib.Action       `json:"action"`
	Message string               `json:"message"`
	Record  *registry.Deployment `json:"record,omitempty"`
	Into    string               `json:"into,omitempty"`
}

func (s *server) decide(w http.ResponseWriter, r *http.Request) {
	id, err := submissionID(r)
	if err == nil {
		_, err = s.Submissions.Submission(r.Context(), id) // an unknown id is the first thing wrong
	}
	var d decision
	if err == nil {
		err = cmp.Or(noQuery(r), readBody(w, r, &d))
	}
	var sub *contrib.Submission
	if err == nil {
		sub, err = s.Submissions.Decide(r.Context(), id, contrib.Decision{Action: d.Action, Reviewer: auth.FromContext(r.Context()).Name,
			Message: d.Message, Record: d.Record, Into: d.Into, Time: s.Now()})
	}
	if err != nil {
		s.fail(w, r, bodyErr(err))
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	sendJSON(w, r, sub)
}

// reply is the body of an organisation's reply.
type reply struct {
	Text    string            `json:"text"`
	Sources []registry.Source `json:"sources,omitempty"`
}

// replyTo logs the signed-in organisation's reply to a deployment.
func (s *server) replyTo(w http.ResponseWriter, r *http.Request, rd Reader) error {
	if _, err := rd.Get(r.Context(), "deployment", r.PathValue("id")); err != nil {
		return s.retracted(w, r, rd, "deployment", r.PathValue("id"), "", err) // an unknown record is the first thing wrong
	}
	var b reply
	if err := cmp.Or(noQuery(r), readBody(w, r, &b)); err != nil {
		return err
	}
	p := auth.FromContext(r.Context()).Principal
	rp := &registry.Reply{Deployment: r.PathValue("id"), OrgKind: p.Org.Kind, Org: p.Org.ID, Author: p.Name,
		Date: registry.DateOf(s.Now()), Text: b.Text, Sources: b.Sources}
	seq, err := s.Submissions.Reply(r.Context(), rp, s.Now())
	if err != nil {
		return bodyErr(err)
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusCreated)
	return json.NewEncoder(w).Encode(struct {
		Reply *registry.Reply `json:"reply"`
		Seq   int64           `json:"seq"`
	}{rp, seq})
}

// withdraw closes the receipt's submission at its contributor's request.
func (s *server) withdraw(w http.ResponseWriter, r *http.Request) {
	s.byReceiptDo(w, r, func(h string) (*contrib.Submission, error) { return s.Submissions.Withdraw(r.Context(), h, s.Now()) })
}

// forgetContact forgets the contact of the receipt's submission.
func (s *server) forgetContact(w http.ResponseWriter, r *http.Request) {
	s.byReceiptDo(w, r, func(h string) (*contrib.Submission, error) { return s.Submissions.ForgetContact(r.Context(), h) })
}

// byReceiptDo runs fn on the hash of the request's receipt, which takes no
// parameters, and answers with the submission as it then stands.
func (s *server) byReceiptDo(w http.ResponseWriter, r *http.Request, fn func(receiptHash string) (*contrib.Submission, error)) {
	h, err := s.byReceipt(r)
	if err == nil {
		err = noQuery(r)
	}
	var sub *contrib.Submission
	if err == nil {
		sub, err = fn(h)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	sendJSON(w, r, sub.Public())
}
