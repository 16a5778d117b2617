"""What the history says about what comes: how good the wait estimate is (backtest), arrivals per hour for the
next days, the counters they need (Erlang C), and whether today's queue is served before closing."""
