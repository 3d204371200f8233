use std::sync::{Arc, Mutex};

use tokio::time::Instant;

use super::*;

async fn app() -> App {
    let db = hotline_persistence::Db::connect(&hotline_persistence::DbConfig::new("sqlite::memory:"))
        .await
        .unwrap();
    App::new(Arc::new(db), hotline_app::Settings::default())
}

/// A tick that panics twice, then runs cleanly: the worker lives on, is
/// unhealthy in between, pauses 1 s then 2 s, and is healthy again after
/// (in real time: about three seconds).
#[tokio::test]
async fn a_panicking_tick_is_restarted_with_growing_pauses() {
    let app = app().await;
    let calls: Arc<Mutex<Vec<Instant>>> = Arc::default();
    let (stop, stopped) = watch::channel(false);
    let seen = calls.clone();
    let worker = every("flaky", Duration::from_secs(3600), &app, stopped, move |_| {
        let seen = seen.clone();
        async move {
            let n = {
                let mut c = seen.lock().unwrap();
                c.push(Instant::now());
                c.len()
            };
            if n <= 2 {
                panic!("tick {n} fails");
            }
        }
    });
    let health = app.workers.clone();
    let mut was_unhealthy = false;
    while calls.lock().unwrap().len() < 3 || health.all().first().is_none_or(|(_, s)| !s.healthy) {
        was_unhealthy |= health.unhealthy() == ["flaky"];
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(was_unhealthy, "readiness never saw the worker failing");
    let state = health.all()[0].1;
    assert_eq!(state.restarts, 2);
    assert!(state.healthy);
    let at = calls.lock().unwrap().clone();
    assert!(at[1] - at[0] >= FIRST_BACKOFF, "no pause after the first panic");
    assert!(at[2] - at[1] >= FIRST_BACKOFF * 2, "the pause did not grow");
    // It goes on ticking (here: stops when asked, not dead).
    stop.send(true).unwrap();
    worker.await.unwrap();
}
