package fleet

import (
	"fmt"
	"math"
)

// Ceiling is what FindCeiling found.
type Ceiling struct {
	// Served is the largest number of sessions a run served without a
	// failed request, and Failed the smallest that failed.
	Served, Failed int
	// Runs are the runs made, in order.
	Runs []*Report
}

// FindCeiling bisects, between served and failed sessions, for the largest
// number of sessions that cfg's fleet serves without a failed request: the
// ceiling of rung 1, whose requests fail once Clerk's limit is reached.
// Each run ends at its first failure (cfg.Sessions and cfg.StopOnFailure are
// set for each). served is halved until a run succeeds; failed is taken as
// failing. Bisection, on a logarithmic scale, stops once failed is within
// precision (such as 0.1) of served.
func FindCeiling(cfg Config, served, failed int, precision float64) (*Ceiling, error) {
	if served <= 0 || failed <= served || precision <= 0 {
		return nil, fmt.Errorf("%w: FindCeiling needs 0 < served < failed and a positive precision", errConfig)
	}
	c := &Ceiling{Failed: failed}
	try := func(s int) (bool, error) {
		cfg.Sessions, cfg.StopOnFailure = s, true
		rep, err := Run(cfg)
		if err != nil {
			return false, err
		}
		c.Runs = append(c.Runs, rep)
		for _, res := range rep.Results {
			if res.Failed > 0 {
				return false, nil
			}
		}
		return true, nil
	}
	for {
		ok, err := try(served)
		if err != nil {
			return nil, err
		}
		if ok {
			break
		}
		c.Failed = served
		if served /= 2; served == 0 {
			return c, nil
		}
	}
	c.Served = served
	for float64(c.Failed) > float64(c.Served)*(1+precision) && c.Failed-c.Served > 1 {
		mid := int(math.Round(math.Sqrt(float64(c.Served) * float64(c.Failed))))
		mid = min(max(mid, c.Served+1), c.Failed-1)
		ok, err := try(mid)
		if err != nil {
			return nil, err
		}
		if ok {
			c.Served = mid
		} else {
			c.Failed = mid
		}
	}
	return c, nil
}

// Confirm runs cfg at c.Served sessions, ending at the first failure, and
// while a run fails lowers Served by step (such as 0.05) and tries again, at
// most tries times in all: a search on shorter runs than cfg's may find a
// ceiling that a longer run fails. It reports whether a run succeeded.
func (c *Ceiling) Confirm(cfg Config, step float64, tries int) (bool, error) {
	for range tries {
		cfg.Sessions, cfg.StopOnFailure = c.Served, true
		rep, err := Run(cfg)
		if err != nil {
			return false, err
		}
		c.Runs = append(c.Runs, rep)
		ok := true
		for _, res := range rep.Results {
			ok = ok && res.Failed == 0
		}
		if ok {
			return true, nil
		}
		c.Failed = c.Served
		c.Served = int(float64(c.Served) * (1 - step))
	}
	return false, nil
}
